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
        let target = path(for: sha)
        // Trust an existing file only if it is whole: same size and same hash. A torn or altered file
        // (a disk error, a crash on a file system without ordered writes) is replaced.
        let existed = FileManager.default.fileExists(atPath: target.path)
        if existed {
            if let existing = try? Data(contentsOf: target), existing.count == data.count, Digests.sha256Hex(existing) == sha {
                return (sha, false)
            }
        }
        let directory = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Write to a temporary name, fsync, and rename over the real name; then fsync the directory so
        // the rename itself is durable.
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
        if rename(temporary.path, target.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        Self.syncDirectory(directory)
        // A repaired file was named by rows before: never "created" here, never discarded.
        return (sha, !existed)
    }

    /// Removes content this request created (`write(_:).created`) when the request was refused, unless a
    /// metadata row names it by now.
    public func discard(_ created: [String], on db: any Database) async {
        for sha in Set(created) {
            guard (try? await StoredFileModel.query(on: db).filter(\.$sha256 == sha).count()) == 0 else { continue }
            try? FileManager.default.removeItem(at: path(for: sha))
        }
    }

    static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
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
