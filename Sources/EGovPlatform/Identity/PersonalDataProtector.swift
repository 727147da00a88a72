import Crypto
import Foundation

/// Personal identifiers are stored encrypted (AES-GCM) and found through a keyed hash (HMAC-SHA256),
/// so a stolen database copy does not give away citizens' numbers.
public struct PersonalDataProtector: Sendable {
    let hashKey: SymmetricKey
    let sealKey: SymmetricKey

    public init(hashKey: SymmetricKey, sealKey: SymmetricKey) {
        self.hashKey = hashKey
        self.sealKey = sealKey
    }

    public func lookupHash(_ value: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: hashKey).hexEncoded
    }

    public func seal(_ value: String) throws -> String {
        guard let combined = try AES.GCM.seal(Data(value.utf8), using: sealKey).combined else {
            throw CryptoKitError.incorrectParameterSize
        }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw CryptoKitError.incorrectParameterSize }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: sealKey), as: UTF8.self)
    }
}
