import Crypto
import EGovCore
import Foundation
import MultipartKit
import NIOCore
import Vapor

/// A file of a multipart form, written to disk while it arrived (never held in memory), fsynced, with
/// its size, SHA-256 and first bytes (for the type check).
public struct SpooledFile: Sendable {
    public let field: String
    public let fileName: String
    public let contentType: String?
    public let url: URL
    public let size: Int
    public let sha256: String
    public let head: Data
}

/// A multipart form received by `UploadSpool`: its text fields in memory (each small), its files on disk
/// in a directory of their own that `discard()` removes.
public struct SpooledForm: Sendable {
    /// Each text field's value (the last, when a name repeats).
    public var fields: [String: String]
    public var files: [SpooledFile]
    public let directory: URL
    /// Every value of each text field, in order: a group of checkboxes sends one name many times.
    public var repeated: [String: [String]] = [:]

    public func field(_ name: String) -> String? { fields[name] }

    public func values(_ name: String) -> [String] { repeated[name] ?? [] }

    /// Removes whatever is left of the upload (adopted files were moved out already).
    public func discard() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Receives a browser's multipart form as a stream: text fields are kept (64 KB each at most), file
/// parts are written straight to `<files>/.incoming/<uuid>/` as the bytes arrive, so a large upload
/// costs disk, not memory. The CSRF token is checked as soon as its field arrives — before any file
/// part — and a refused or failed upload leaves nothing behind.
public enum UploadSpool {
    public static let maxFieldBytes = 64 * 1024
    public static let maxParts = 200

    public enum SpoolError: Error, Sendable {
        case tooLarge(maxBytes: Int)
        case malformed
    }

    /// A new directory of its own under `<files>/.incoming/` for one request's uploads.
    static func newDirectory(under filesRoot: URL) throws -> URL {
        let directory = filesRoot.appendingPathComponent(".incoming", isDirectory: true).appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// One file being written: hashed, measured and its first bytes kept as the bytes go to disk.
    final class FileWriter {
        let url: URL
        private let handle: FileHandle
        private var hasher = SHA256()
        private(set) var size = 0
        private var head = Data()

        init(_ url: URL) throws {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw SpoolError.malformed }
            self.url = url
            handle = try FileHandle(forWritingTo: url)
        }

        func write(_ bytes: ByteBufferView) throws {
            hasher.update(data: bytes)
            if head.count < 16 { head.append(contentsOf: bytes.prefix(16 - head.count)) }
            size += bytes.count
            try handle.write(contentsOf: bytes)
        }

        /// Fsyncs and closes the file and describes it.
        func finish(field: String, fileName: String, contentType: String?) throws -> SpooledFile {
            try handle.synchronize()
            try handle.close()
            return SpooledFile(field: field, fileName: fileName, contentType: contentType, url: url, size: size,
                               sha256: hasher.finalize().hexEncoded, head: head)
        }

        func abandon() { try? handle.close() }
    }

    /// Reads a raw request body (one file, route registered with `body: .stream`) to disk: hashed and
    /// fsynced on the way, refused past `maxBytes` (the directory is removed on any failure). The
    /// caller moves the file into the store (`FileStore.adopt`) and removes `directory` afterwards.
    public static func receiveFile(_ request: Request, filesRoot: URL, maxBytes: Int, fileName: String,
                                   contentType: String?) async throws -> (file: SpooledFile, directory: URL) {
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxBytes {
            throw SpoolError.tooLarge(maxBytes: maxBytes)
        }
        let directory = try newDirectory(under: filesRoot)
        do {
            let writer = try FileWriter(directory.appendingPathComponent("part-0"))
            defer { writer.abandon() }
            for try await chunk in request.body {
                guard writer.size + chunk.readableBytes <= maxBytes else { throw SpoolError.tooLarge(maxBytes: maxBytes) }
                try writer.write(chunk.readableBytesView)
            }
            return (try writer.finish(field: "file", fileName: fileName, contentType: contentType), directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Removes uploads left half-way by a crash or a dropped connection (an hour old by default).
    public static func removeStale(under filesRoot: URL, olderThan age: TimeInterval, now: Date) {
        let incoming = filesRoot.appendingPathComponent(".incoming", isDirectory: true)
        guard let entries = try? FileManager.default.contentsOfDirectory(at: incoming, includingPropertiesForKeys: [.contentModificationDateKey])
        else { return }
        for entry in entries {
            let modified = (try? entry.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantPast
            if now.timeIntervalSince(modified) > age { try? FileManager.default.removeItem(at: entry) }
        }
    }

    /// Reads the request body (route registered with `body: .stream`) into a `SpooledForm`.
    /// `checkField` sees every text field as it completes (throw to refuse the whole request); a file
    /// part before `requiredFirst` has been seen is refused.
    public static func receive(_ request: Request, filesRoot: URL, maxTotalBytes: Int, requiredFirst: String?,
                               checkField: @escaping (String, String) throws -> Void) async throws -> SpooledForm {
        guard let boundary = request.headers.contentType?.parameters["boundary"], request.headers.contentType?.subType == "form-data",
              !boundary.isEmpty, boundary.utf8.count <= 200
        else { throw SpoolError.malformed }
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxTotalBytes {
            throw SpoolError.tooLarge(maxBytes: maxTotalBytes)
        }
        let directory = try newDirectory(under: filesRoot)
        let state = State(directory: directory, requiredFirst: requiredFirst, checkField: checkField)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        var total = 0
        do {
            for try await chunk in request.body {
                total += chunk.readableBytes
                guard total <= maxTotalBytes else { throw SpoolError.tooLarge(maxBytes: maxTotalBytes) }
                try parser.execute(chunk)
                if let error = state.failure { throw error }
            }
            guard state.sawPart else { throw SpoolError.malformed }
        } catch {
            state.closeOpenFile()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        return SpooledForm(fields: state.fields, files: state.files, directory: directory, repeated: state.repeated)
    }

    /// The parser's callbacks are synchronous and run one at a time on the reading task.
    private final class State {
        let directory: URL
        let requiredFirst: String?
        let checkField: (String, String) throws -> Void
        var fields: [String: String] = [:]
        var repeated: [String: [String]] = [:]
        var files: [SpooledFile] = []
        var failure: (any Error)?
        /// At least one part came whole (a body without any is not a form).
        var sawPart = false
        private var requiredSeen: Bool
        private var headers = HTTPHeaders()
        private var text = ByteBuffer()
        private var writer: FileWriter?
        private var parts = 0

        init(directory: URL, requiredFirst: String?, checkField: @escaping (String, String) throws -> Void) {
            self.directory = directory
            self.requiredFirst = requiredFirst
            self.requiredSeen = requiredFirst == nil
            self.checkField = checkField
        }

        func header(_ name: String, _ value: String) {
            guard failure == nil else { return }
            headers.add(name: name, value: value)
        }

        private var disposition: HTTPHeaders.ContentDisposition? { headers.contentDisposition }

        func body(_ buffer: inout ByteBuffer) {
            guard failure == nil else { return }
            if disposition?.filename != nil {
                do { try openFile().write(buffer.readableBytesView) } catch { failure = error }
            } else {
                guard text.readableBytes + buffer.readableBytes <= UploadSpool.maxFieldBytes else {
                    failure = SpoolError.tooLarge(maxBytes: UploadSpool.maxFieldBytes)
                    return
                }
                text.writeBuffer(&buffer)
            }
        }

        /// The current file part's writer, opened on its first bytes — never before the required field.
        private func openFile() throws -> FileWriter {
            if let writer { return writer }
            guard requiredSeen else { throw EGovError.csrf }
            let opened = try FileWriter(directory.appendingPathComponent("part-\(files.count)"))
            writer = opened
            return opened
        }

        func complete() {
            defer {
                headers = HTTPHeaders()
                text.clear()
                parts += 1
                writer = nil
            }
            guard failure == nil else { return }
            guard parts < UploadSpool.maxParts, let name = disposition?.name, !name.isEmpty else {
                failure = SpoolError.malformed
                return
            }
            sawPart = true
            if let filename = disposition?.filename {
                // An empty file input (nothing chosen) sends no name and no bytes: no file.
                guard writer != nil || !filename.isEmpty else { return }
                do {
                    files.append(try openFile().finish(field: name, fileName: filename, contentType: headers.first(name: .contentType)))
                } catch {
                    failure = error
                }
            } else {
                let value = text.getString(at: text.readerIndex, length: text.readableBytes) ?? ""
                do {
                    try checkField(name, value)
                    if name == requiredFirst { requiredSeen = true }
                    fields[name] = value
                    repeated[name, default: []].append(value)
                } catch {
                    failure = error
                }
            }
        }

        func closeOpenFile() {
            writer?.abandon()
            writer = nil
        }
    }
}
