import Crypto
import Foundation
import _CryptoExtras

/// Bytes kept encrypted under a passphrase or a signing PIN: PBKDF2-HMAC-SHA256 derives an AES-256-GCM key
/// from it. Stored as JSON; a wrong passphrase fails the authentication tag, so it unlocks nothing.
public struct SealedSecret: Codable, Sendable, Equatable {
    public let kdf: String
    public let rounds: Int
    public let salt: String
    public let box: String

    /// OWASP's figure for PBKDF2-HMAC-SHA256.
    public static let defaultRounds = 210_000

    public struct WrongSecret: Error {}

    public static func seal(_ plaintext: Data, under secret: String, rounds: Int = defaultRounds) throws -> SealedSecret {
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        let key = try derive(secret, salt: salt, rounds: rounds)
        guard let combined = try AES.GCM.seal(plaintext, using: key).combined else { throw WrongSecret() }
        return SealedSecret(kdf: "pbkdf2-sha256", rounds: rounds, salt: salt.base64EncodedString(), box: combined.base64EncodedString())
    }

    /// The plaintext, or `WrongSecret`.
    public func open(with secret: String) throws -> Data {
        guard kdf == "pbkdf2-sha256", (Self.defaultRounds...10_000_000).contains(rounds), let salt = Data(base64Encoded: salt),
              let combined = Data(base64Encoded: box) else { throw WrongSecret() }
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: try Self.derive(secret, salt: salt, rounds: rounds))
        } catch {
            throw WrongSecret()
        }
    }

    private static func derive(_ secret: String, salt: Data, rounds: Int) throws -> SymmetricKey {
        try KDF.Insecure.PBKDF2.deriveKey(from: Data(secret.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
    }

    public func json() throws -> String { try CanonicalJSON.string(self) }

    public static func from(json: String) throws -> SealedSecret {
        try JSONDecoder().decode(SealedSecret.self, from: Data(json.utf8))
    }
}
