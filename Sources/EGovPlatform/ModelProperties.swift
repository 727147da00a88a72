// Written by scripts/model-properties.py: do not edit by hand; run it after changing a model's fields.
import FluentKit

// Each model's property wrappers, in declaration order, so FluentKit does not find them by reflection on
// every row it reads or writes (issue 15). `ModelPropertiesTests` checks each list against reflection.

extension AuditEventModel {
    public var properties: [any AnyProperty] {
        [
            $id, $occurredAt, $actorID, $actorName, $unitCode, $action, $target, $clientAddress, $summary, $hash,
            $sealID
        ]
    }
}

extension AuditSealModel {
    public var properties: [any AnyProperty] {
        [
            $id, $sequence, $sealedAt, $entries, $previousHash, $hash, $timeStampToken
        ]
    }
}

extension AuthorityModel {
    var properties: [any AnyProperty] {
        [
            $id, $kind, $certificatePEM, $sealedKey, $crlPEM, $crlNumber, $createdAt
        ]
    }
}

extension CounterModel {
    public var properties: [any AnyProperty] {
        [
            $id, $value
        ]
    }
}

extension OutboxMessageModel {
    public var properties: [any AnyProperty] {
        [
            $id, $channel, $recipient, $subject, $body, $reference, $status, $attempts, $nextAttemptAt, $lastError,
            $createdAt, $sentAt
        ]
    }
}

extension OutsideCRLModel {
    var properties: [any AnyProperty] {
        [
            $id, $caFingerprint, $crlDER, $thisUpdate, $nextUpdate, $addedBy, $addedAt
        ]
    }
}

extension PersonalFileModel {
    public var properties: [any AnyProperty] {
        [
            $id, $ownerID, $sha256, $name, $contentType, $size, $kind, $label, $source, $componentID, $createdAt,
            $usedAt
        ]
    }
}

extension ProcessModel {
    var properties: [any AnyProperty] {
        [
            $id, $module, $processID, $definition, $sortOrder
        ]
    }
}

extension RefreshTokenModel {
    public var properties: [any AnyProperty] {
        [
            $id, $user, $tokenHash, $expiresAt, $revokedAt, $familyID, $createdAt
        ]
    }
}

extension SessionModel {
    public var properties: [any AnyProperty] {
        [
            $id, $userID, $data, $createdAt, $lastSeenAt, $expiresAt
        ]
    }
}

extension SettingModel {
    public var properties: [any AnyProperty] {
        [
            $id, $value, $updatedAt
        ]
    }
}

extension SigningCertificateModel {
    public var properties: [any AnyProperty] {
        [
            $id, $serial, $userID, $unitID, $subject, $notBefore, $notAfter, $status, $revokedAt, $revocationReason,
            $certificatePEM, $sealedKey, $pinFailures, $createdAt
        ]
    }
}

extension StoredFileModel {
    public var properties: [any AnyProperty] {
        [
            $id, $sha256, $size, $contentType, $name, $createdAt
        ]
    }
}

extension TrustedAuthorityModel {
    var properties: [any AnyProperty] {
        [
            $id, $subject, $fingerprint, $certificatePEM, $notAfter, $addedBy, $addedAt
        ]
    }
}

extension UnitModel {
    public var properties: [any AnyProperty] {
        [
            $id, $code, $type, $name, $shortName, $parent, $path, $depth, $sortOrder, $createdAt, $updatedAt
        ]
    }
}

extension UserModel {
    public var properties: [any AnyProperty] {
        [
            $id, $username, $fullName, $kind, $email, $phone, $idNumberHash, $idNumberSealed, $passwordHash,
            $isActive, $failedLogins, $lockedUntil, $authEpoch, $identityVerifiedAt, $positions, $createdAt,
            $updatedAt
        ]
    }
}

extension UserPositionModel {
    public var properties: [any AnyProperty] {
        [
            $id, $user, $unit, $position
        ]
    }
}

extension VerificationCodeModel {
    public var properties: [any AnyProperty] {
        [
            $id, $sha256, $name, $target, $createdAt
        ]
    }
}
