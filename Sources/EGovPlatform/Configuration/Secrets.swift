import Crypto
import Foundation

/// The installation's master secret and the keys derived from it (token signing, personal-data
/// hashing and encryption). Kept in `<data-dir>/secret.key` (mode 0600) unless the environment gives
/// one, so that every node of a scaled-out installation can share it.
public struct Secrets: Sendable {
    public let master: SymmetricKey

    public init(master: SymmetricKey) { self.master = master }

    public static func load(configuration: EGovConfiguration) throws -> Secrets {
        if let base64 = configuration.secretKeyBase64 {
            guard let data = Data(base64Encoded: base64), data.count >= 32 else {
                throw SecretsError.invalidEnvironmentKey
            }
            return Secrets(master: SymmetricKey(data: data))
        }
        let file = configuration.dataDirectory.appendingPathComponent("secret.key")
        if let text = try? String(contentsOf: file, encoding: .utf8),
           let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count >= 32 {
            return Secrets(master: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        try PrivateFile.write(encoded + "\n", to: file)
        return Secrets(master: key)
    }

    /// A sub-key for one purpose, so one leaked purpose key does not expose the others.
    public func key(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("open-egov/\(purpose)".utf8), outputByteCount: 32)
    }

    public var tokenSigningKey: Data { key(for: "jwt-hs256").withUnsafeBytes { Data($0) } }
}

public enum SecretsError: Error, CustomStringConvertible {
    case invalidEnvironmentKey
    public var description: String { "EGOV_SECRET_KEY must be base64 of at least 32 bytes" }
}

/// Writes files that hold credentials: created with mode 0600 before any byte is written.
public enum PrivateFile {
    public static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
    }
}
