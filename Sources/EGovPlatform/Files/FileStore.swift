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

    /// Writes the bytes (once per content) and returns their SHA-256. Call it before the transaction
    /// whose rows name the content: the bytes are on disk (fsynced, file and directory) before those
    /// rows can commit, so a crash never leaves a row without its file. Unreferenced content left by a
    /// rolled-back transaction is harmless.
    public func store(_ data: Data) throws -> String {
        try write(data).sha256
    }

    /// `store`, also telling whether this call created the file (so a refused request can take back
    /// exactly the bytes it added, see `discard`).
    public func write(_ data: Data) throws -> (sha256: String, created: Bool) {
        let sha = Digests.sha256Hex(data)
        if isWhole(sha256: sha, size: data.count) { return (sha, false) }
        // Write to a temporary name and fsync before it takes the real name.
        let target = path(for: sha)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.appendingPathExtension("tmp-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return (sha, try place(temporary, as: sha))
    }

    /// Moves an upload spooled to disk (and fsynced there, `UploadSpool`) into the store under its hash.
    /// Returns whether this call created the stored file, as `write(_:)` does.
    public func adopt(_ file: SpooledFile) throws -> (sha256: String, created: Bool) {
        if isWhole(sha256: file.sha256, size: file.size) {
            try? FileManager.default.removeItem(at: file.url)
            return (file.sha256, false)
        }
        return (file.sha256, try place(file.url, as: file.sha256))
    }

    /// Whether the store holds this content whole: same size and same hash. A torn or altered file (a
    /// disk error, a crash on a file system without ordered writes) is not trusted, and gets rewritten.
    private func isWhole(sha256: String, size: Int) -> Bool {
        let target = path(for: sha256)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target.path),
              (attributes[.size] as? NSNumber)?.intValue == size, let existing = try? Data(contentsOf: target) else { return false }
        return Digests.sha256Hex(existing) == sha256
    }

    /// Renames a written, fsynced file to its content's name and fsyncs the directory, so the rename
    /// itself is durable. Returns whether there was no file of that name before: a repaired file was
    /// named by rows already, so it never counts as created (and is never discarded).
    private func place(_ written: URL, as sha256: String) throws -> Bool {
        let target = path(for: sha256)
        let existed = FileManager.default.fileExists(atPath: target.path)
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard rename(written.path, target.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: written)
            throw error
        }
        Self.syncDirectory(directory)
        return !existed
    }

    /// Removes content this request created (`write(_:).created`) when the request was refused, unless a
    /// metadata row names it by now.
    public func discard(_ created: [String], on db: any Database) async {
        for sha in Set(created) {
            guard (try? await StoredFileModel.query(on: db).filter(\.$sha256 == sha).count()) == 0 else { continue }
            try? FileManager.default.removeItem(at: path(for: sha))
        }
    }

    private static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The metadata row of stored content under a name (one row per content and name).
    public static func record(sha256: String, size: Int, name: String, contentType: String, on db: any Database) async throws -> StoredFileModel {
        if let existing = try await ModelRead.first(StoredFileModel.self, where: [("sha256", sha256), ("name", name)], on: db) {
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
