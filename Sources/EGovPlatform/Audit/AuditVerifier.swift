import Fluent
import Foundation

/// What `egov audit verify` found.
public struct AuditVerification: Sendable {
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// An event's fields no longer match the hash its seal recorded (or, unsealed, its own hash).
        case alteredEvent(UUID, seal: Int?)
        /// A sealed event is gone.
        case missingEvent(UUID, seal: Int)
        /// An event claims a seal that does not list it.
        case insertedEvent(UUID, seal: Int)
        /// A seal was changed, or a seal before it is missing.
        case brokenSeal(Int)
        /// A seal's time-stamp token does not hold for its hash.
        case badTimeStamp(Int)

        public var description: String {
            switch self {
            case let .alteredEvent(id, seal):
                "event \(id.uuidString.lowercased()) was altered" + (seal.map { " (seal \($0))" } ?? " (not yet sealed)")
            case let .missingEvent(id, seal): "event \(id.uuidString.lowercased()) is missing (seal \(seal))"
            case let .insertedEvent(id, seal): "event \(id.uuidString.lowercased()) was inserted into seal \(seal)"
            case let .brokenSeal(sequence): "seal \(sequence) was altered or a seal before it is missing"
            case let .badTimeStamp(sequence): "the time-stamp of seal \(sequence) does not match it"
            }
        }
    }

    public var sealsChecked = 0
    /// Seals whose time-stamp token holds for their hash.
    public var timeStampedSeals = 0
    public var eventsChecked = 0
    public var unsealedEvents = 0
    public var problems: [Problem] = []

    public var isIntact: Bool { problems.isEmpty }
}

extension AuditLog {
    /// Walks the seals in order and checks every event against the hash its seal recorded.
    public static func verify(on db: any Database, progress: @Sendable (Int) -> Void = { _ in }) async throws -> AuditVerification {
        var result = AuditVerification()
        var previousHash = genesisHash
        var expectedSequence = 1
        let seals = try await AuditSealModel.query(on: db).sort(\.$sequence).all()
        for seal in seals {
            let recomputedSeal = sealHash(sequence: seal.sequence, sealedAt: seal.sealedAt, entries: seal.entries,
                                          previousHash: seal.previousHash)
            if seal.sequence != expectedSequence || seal.previousHash != previousHash || seal.hash != recomputedSeal {
                result.problems.append(.brokenSeal(seal.sequence))
            }
            previousHash = seal.hash
            expectedSequence = seal.sequence + 1
            if let encoded = seal.timeStampToken {
                if Self.timeStampHolds(encoded, for: seal.hash) { result.timeStampedSeals += 1 } else {
                    result.problems.append(.badTimeStamp(seal.sequence))
                }
            }

            let stored = try await AuditEventModel.query(on: db).filter(\.$sealID == seal.id).all()
            let byID = Dictionary(stored.compactMap { event in event.id.map { ($0, event) } }, uniquingKeysWith: { a, _ in a })
            var listed: Set<UUID> = []
            for line in seal.entries.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let id = UUID(uuidString: String(parts[0])) else {
                    result.problems.append(.brokenSeal(seal.sequence))
                    continue
                }
                listed.insert(id)
                guard let event = byID[id] else {
                    result.problems.append(.missingEvent(id, seal: seal.sequence))
                    continue
                }
                if hash(of: event) != String(parts[1]) { result.problems.append(.alteredEvent(id, seal: seal.sequence)) }
                result.eventsChecked += 1
            }
            for event in stored where !listed.contains(event.id ?? UUID()) {
                result.problems.append(.insertedEvent(event.id ?? UUID(), seal: seal.sequence))
            }
            result.sealsChecked += 1
            progress(result.sealsChecked)
        }
        let unsealed = try await AuditEventModel.query(on: db).filter(\.$sealID == nil).all()
        for event in unsealed where hash(of: event) != event.hash {
            result.problems.append(.alteredEvent(event.id ?? UUID(), seal: nil))
        }
        result.unsealedEvents = unsealed.count
        return result
    }

    /// Whether a seal's token (base64 DER) is intact and stamps exactly the seal's hash (hex SHA-256).
    static func timeStampHolds(_ encoded: String, for hash: String) -> Bool {
        guard let der = Data(base64Encoded: encoded), let token = try? TimeStampToken(Array(der)),
              let digest = [UInt8](hexDigits: hash.utf8) else { return false }
        return token.intact && token.imprint == digest
    }
}
