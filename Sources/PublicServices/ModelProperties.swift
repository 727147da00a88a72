// Written by scripts/model-properties.py: do not edit by hand; run it after changing a model's fields.
import FluentKit

// Each model's property wrappers, in declaration order, so FluentKit does not find them by reflection on
// every row it reads or writes (issue 15). `ModelPropertiesTests` checks each list against reflection.

extension CatalogueDocumentModel {
    var properties: [any AnyProperty] {
        [
            $id, $value
        ]
    }
}

extension DossierEventModel {
    var properties: [any AnyProperty] {
        [
            $id, $dossierID, $seq, $actionID, $actionName, $fromStep, $toStep, $toStepName, $status, $actorID,
            $actorName, $actorUnitCode, $at, $note, $assigneeName, $stepOnTime, $files
        ]
    }
}

extension DossierFileModel {
    var properties: [any AnyProperty] {
        [
            $id, $dossierID, $componentID, $kind, $name, $contentType, $size, $sha256, $eventSeq, $createdAt
        ]
    }
}

extension DossierModel {
    var properties: [any AnyProperty] {
        [
            $id, $code, $procedureCode, $procedureName, $processID, $receivingUnitCode, $receivingUnitPath,
            $competentUnitCode, $competentUnitPath, $consultedUnitCode, $consultedUnitPath, $channel,
            $resultDelivery, $interLevel, $applicantID, $applicantName, $applicantIDHash, $applicantIDSealed,
            $applicantPhoneSealed, $applicantEmail, $applicantAddress, $form, $status, $stepID, $holderPositions,
            $holderUnitPath, $holderApplicant, $assigneeID, $assigneeName, $state, $dueAt, $stepDueAt, $clockPaused,
            $pausedLate, $submittedAt, $receivedAt, $finishedAt, $finishedLate, $feeAmount, $feePaid, $paidAt,
            $supplementRequests, $lateNotified, $version, $updatedAt
        ]
    }
}

extension PaymentModel {
    var properties: [any AnyProperty] {
        [
            $id, $dossierID, $dossierCode, $txnRef, $amount, $method, $status, $createdAt, $paidAt,
            $gatewayTransactionNo, $bankCode, $responseCode, $recordedBy
        ]
    }
}

extension ProcedureModel {
    var properties: [any AnyProperty] {
        [
            $id, $code, $name, $field, $onlineLevel, $searchText, $sortOrder, $entry
        ]
    }
}

extension ProcedureUnitModel {
    var properties: [any AnyProperty] {
        [
            $id, $procedureCode, $unitCode
        ]
    }
}

extension RatingModel {
    var properties: [any AnyProperty] {
        [
            $id, $dossierID, $dossierCode, $competentUnitPath, $receivingUnitPath, $scores, $average, $comment,
            $createdAt
        ]
    }
}
