import EGovCore
import Fluent
import Foundation
import NIOPosix
import SQLKit
import X509
import _CryptoExtras

/// An officer's remote signing key, opened with their signing PIN for one signature (issue 13 §5): only a
/// current certificate signs — not a revoked one, not an expired one — and five wrong PINs in a row lock it.
/// Each attempt is counted before the PIN is tried, so guesses sent in parallel cannot get past the limit.
public enum SigningKeys {
    public static let maxPINFailures = 5

    /// A PIN as sent (a header, a JSON field, a form field): present and at most 64 bytes, else nil.
    public static func checkedPIN(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 64 else { return nil }
        return value
    }

    /// A key opened for one signature, with the certificate and the chain a verifier needs.
    public struct Unlocked: Sendable {
        public let serial: String
        public let certificate: Certificate
        public let chain: [Certificate]
        let key: SigningKey

        /// The CMS signer: SHA-256 with the key, RSA PKCS #1 v1.5 or ECDSA.
        var signer: CMSSignedData.Signer { CMSSignedData.Signer(certificate: certificate, chain: chain, key: key) }
    }

    static func refused(_ vi: String, _ en: String) -> EGovError { .forbiddenBecause(LocalizedText(vi: vi, en: en)) }

    /// A new PIN as a holder chooses it: 6 to 64 bytes, else nil.
    public static func checkedNewPIN(_ value: String?) -> String? {
        guard let value = checkedPIN(value), value.utf8.count >= 6 else { return nil }
        return value
    }

    /// A PIN the platform makes (a demo officer's, one an administrator hands over): six random digits.
    public static func generatedPIN() -> String { String(format: "%06d", Int.random(in: 0...999_999)) }

    /// Re-seals `holder`'s current key, opened with `pin` (a wrong one counts towards the lock, as in signing),
    /// under `newPin`. `serial` must be that current certificate's.
    public static func changePIN(_ holder: Holder, serial: String, pin: String, newPin: String, at now: Date, threadPool: NIOThreadPool,
                                 on db: any Database) async throws {
        let unlocked = try await unlock(holder, pin: pin, at: now, threadPool: threadPool, on: db)
        guard unlocked.serial == serial else {
            throw EGovError.conflict(ValidationError(field: "serial", vi: "Chứng thư số này không phải chứng thư đang dùng để ký.",
                                                     en: "This certificate is not the one currently used to sign."))
        }
        let key = unlocked.key
        let sealed = try await threadPool.runIfActive { try key.sealed(under: newPin) }
        guard let sql = db as? any SQLDatabase else { throw EGovError.forbidden }
        try await sql.raw("""
            UPDATE \(ident: SigningCertificateModel.schema) SET sealed_key = \(bind: sealed), pin_failures = 0 WHERE serial = \(bind: serial)
            """).run()
    }

    /// Whose key: an officer's own, or a unit's seal.
    public enum Holder: Sendable {
        case officer(UUID)
        case seal(UUID)
    }

    /// `holder`'s current certificate: the newest valid one, in its validity at `now`; refused with the reason
    /// when there is none (never issued, revoked, expired).
    public static func current(_ holder: Holder, at now: Date, on db: any Database) async throws -> SigningCertificateModel {
        let query = SigningCertificateModel.query(on: db)
        switch holder {
        case .officer(let id): query.filter(\.$userID == id)
        case .seal(let id): query.filter(\.$unitID == id)
        }
        let certificates = try await query.sort(\.$createdAt, .descending).all()
        guard let newest = certificates.first else {
            if case .seal = holder {
                throw refused("Đơn vị chưa được cấp chứng thư số cho con dấu.", "The unit has no seal certificate.")
            }
            throw refused("Bạn chưa được cấp chứng thư số để ký.", "You have no signing certificate.")
        }
        guard let current = certificates.first(where: { $0.status == SigningCertificateModel.Status.valid.rawValue }) else {
            throw refused("Chứng thư số \(newest.subject) đã bị thu hồi (\(newest.revocationReason ?? "")); không thể ký.",
                          "The signing certificate \(newest.subject) was revoked (\(newest.revocationReason ?? "")); it cannot sign.")
        }
        guard now >= current.notBefore, now <= current.notAfter else {
            let day = VietnamTime.format(current.notAfter, withTime: false)
            throw refused("Chứng thư số \(current.subject) đã hết hạn (\(day)) hoặc chưa có hiệu lực; không thể ký.",
                          "The signing certificate \(current.subject) expired (\(day)) or is not yet valid; it cannot sign.")
        }
        return current
    }

    /// Opens `holder`'s current signing key with `pin`. Key derivation runs on `threadPool`.
    public static func unlock(_ holder: Holder, pin: String, at now: Date, threadPool: NIOThreadPool, on db: any Database) async throws -> Unlocked {
        let current = try await current(holder, at: now, on: db)
        let id = try current.requireID()
        // An attempt is counted before the PIN is tried, so parallel guesses cannot outrun the lock. Attempts with
        // one key on this server therefore take turns: several right PINs at once (a clerk issuing many documents
        // under the unit's seal) must not count as five failures in flight.
        await KeyTurns.shared.acquire(id)
        do {
            let unlocked = try await attempt(current, id: id, pin: pin, threadPool: threadPool, on: db)
            await KeyTurns.shared.release(id)
            return unlocked
        } catch {
            await KeyTurns.shared.release(id)
            throw error
        }
    }

    private static func attempt(_ current: SigningCertificateModel, id: UUID, pin: String, threadPool: NIOThreadPool,
                                on db: any Database) async throws -> Unlocked {
        guard let sql = db as? any SQLDatabase else { throw EGovError.forbidden }
        // Count the attempt first; a right PIN clears the count afterwards.
        let counted = try await sql.raw("""
            UPDATE \(ident: SigningCertificateModel.schema) SET pin_failures = pin_failures + 1
            WHERE id = \(bind: id) AND pin_failures < \(bind: maxPINFailures) RETURNING pin_failures
            """).first()
        guard let failures = try counted?.decode(column: "pin_failures", as: Int.self) else {
            throw refused("Khóa ký của \(current.subject) đã bị khóa vì nhập sai mã PIN \(maxPINFailures) lần. Vui lòng liên hệ quản trị để cấp lại.",
                          "The signing key of \(current.subject) is locked after \(maxPINFailures) wrong PINs. Please ask an administrator for a new one.")
        }
        let sealed = current.sealedKey
        let der: Data? = try await threadPool.runIfActive { try? SealedSecret.from(json: sealed).open(with: pin) }
        guard let der, let key = try? SigningKey(der: der) else {
            let left = maxPINFailures - failures
            throw EGovError.validation([ValidationError(
                field: "X-Signing-Pin",
                vi: left > 0 ? "Mã PIN ký không đúng; còn \(left) lần thử." : "Mã PIN ký không đúng. Khóa ký đã bị khóa.",
                en: left > 0 ? "The signing PIN is wrong; \(left) attempts left." : "The signing PIN is wrong. The signing key is now locked.")])
        }
        try await sql.raw("UPDATE \(ident: SigningCertificateModel.schema) SET pin_failures = 0 WHERE id = \(bind: id)").run()
        return Unlocked(serial: current.serial, certificate: try Certificate(pemEncoded: current.certificatePEM),
                        chain: try await CertificateAuthority.chain(on: db), key: key)
    }
}

/// One unlock at a time per signing key on this server (`SigningKeys.unlock`); the others wait their turn.
actor KeyTurns {
    static let shared = KeyTurns()
    private var busy: Set<UUID> = []
    private var waiting: [UUID: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ key: UUID) async {
        guard busy.contains(key) else {
            busy.insert(key)
            return
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    /// Hands the turn to the next waiter, or frees the key.
    func release(_ key: UUID) {
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            busy.remove(key)
        }
    }
}
