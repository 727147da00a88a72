// Written by scripts/model-properties.py: do not edit by hand; run it after changing a model's fields.
import FluentKit

// Each model's property wrappers, in declaration order, so FluentKit does not find them by reflection on
// every row it reads or writes (issue 15). `ModelPropertiesTests` checks each list against reflection.

extension DocumentFileModel {
    var properties: [any AnyProperty] {
        [
            $id, $documentID, $seq, $name, $contentType, $size, $sha256, $signed, $current, $verificationCode,
            $createdAt
        ]
    }
}

extension DocumentModel {
    var properties: [any AnyProperty] {
        [
            $id, $direction, $processID, $typeID, $subject, $body, $urgency, $confidentiality, $recipientCodes,
            $draftingUnitCode, $issuerCode, $drafterID, $registerYear, $number, $notation, $issuedAt, $createdAt,
            $sourceDocumentID, $senderCode, $senderNotation, $senderName, $arrivalNumber, $edXMLDocumentID, $channel,
            $remindedOn, $searchText, $ocrStatus, $ocrText, $ocrConfidence, $ocrStartedAt, $recall, $recallReason,
            $pendingUpdate, $replacesID, $edXMLSHA256, $receivingUnitPath, $competentUnitPath, $version, $state,
            $stepID, $status, $holderPositions, $holderUnitPath, $holderApplicant, $assigneeID, $assigneeName,
            $dueAt, $stepDueAt, $clockPaused, $pausedLate, $finishedAt, $finishedLate, $receivedAt, $updatedAt
        ]
    }
}

extension DocumentTemplateModel {
    var properties: [any AnyProperty] {
        [
            $id, $name, $typeID, $subject, $body, $sortOrder
        ]
    }
}

extension DocumentTypeModel {
    var properties: [any AnyProperty] {
        [
            $id, $name, $abbreviation, $edXMLType, $sortOrder
        ]
    }
}

extension IssuerModel {
    var properties: [any AnyProperty] {
        [
            $id, $abbreviation, $issues, $officeAbbreviation, $defaultHandler, $outgoingProcess, $leadingZero
        ]
    }
}

extension OutboxMessageRow {
    var properties: [any AnyProperty] {
        [
            $id, $documentID, $recipientCode, $edXML, $createdAt, $sentAt
        ]
    }
}

extension ParticipantModel {
    var properties: [any AnyProperty] {
        [
            $id, $documentID, $userID, $role
        ]
    }
}

extension RecipientStatusModel {
    var properties: [any AnyProperty] {
        [
            $id, $documentID, $recipientCode, $deliveredID, $statusCode, $updatedAt
        ]
    }
}

extension StatusMessageRow {
    var properties: [any AnyProperty] {
        [
            $id, $documentID, $recipientCode, $statusCode, $edXML, $createdAt, $sentAt
        ]
    }
}
