import Fluent
import Foundation

/// Content-addressed file storage: bytes under `files/ab/cd/<sha256>`, metadata in `core_files`.
/// Writing the same content twice stores it once.
public struct FileStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func path(for sha256: String) -> URL {
        let a = sha256.prefix(2), b = sha256.dropFirst(2).prefix(2)
        return root.appendingPathComponent("\(a)/\(b)/\(sha256)")
    }

    @discardableResult
    public func put(_ data: Data, name: String, contentType: String, on db: any Database) async throws -> StoredFileModel {
        let sha = try store(data)
        return try await Self.record(sha256: sha, size: data.count, name: name, contentType: contentType, on: db)
    }

    /// Writes the bytes (once per content) and returns their SHA-256. Safe to call before a transaction
    /// that may roll back: unreferenced content is harmless, and the metadata row is written in the transaction.
    public func store(_ data: Data) throws -> String {
        let sha = Digests.sha256Hex(data)
        let target = path(for: sha)
        if !FileManager.default.fileExists(atPath: target.path) {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Write to a temporary name and rename, so a crash never leaves a half file under the real name.
            let temporary = target.appendingPathExtension("tmp-\(UUID().uuidString)")
            try data.write(to: temporary)
            do {
                try FileManager.default.moveItem(at: temporary, to: target)
            } catch {
                // Another writer stored the same content first: theirs is identical, keep it.
                try? FileManager.default.removeItem(at: temporary)
                guard FileManager.default.fileExists(atPath: target.path) else { throw error }
            }
        }
        return sha
    }

    /// The metadata row of stored content under a name (one row per content and name).
    public static func record(sha256: String, size: Int, name: String, contentType: String, on db: any Database) async throws -> StoredFileModel {
        if let existing = try await StoredFileModel.query(on: db).filter(\.$sha256 == sha256).filter(\.$name == name).first() {
            return existing
        }
        let model = StoredFileModel(sha256: sha256, size: size, contentType: contentType, name: name)
        try await model.create(on: db)
        return model
    }

    public func read(sha256: String) throws -> Data {
        try Data(contentsOf: path(for: sha256))
    }
}
