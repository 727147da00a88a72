import Foundation

/// Optical character recognition with Tesseract and its Vietnamese data (Debian `tesseract-ocr`,
/// `tesseract-ocr-vie`); a PDF's pages are first rendered with poppler's `pdftoppm`. Each tool runs as a child
/// process, waited for without holding a thread, and killed when it runs past its time.
struct OCREngine: Sendable {
    /// The `tesseract` to run (`EGOV_TESSERACT`); nil when OCR is off (`EGOV_TESSERACT=off`).
    let tesseract: String?
    /// The most pages of one scan that are read (the scan is kept whole either way).
    static let maxPages = 100
    /// Per page, and for rendering a PDF.
    static let timeout: TimeInterval = 300

    struct Result: Sendable, Equatable {
        let text: String
        /// The mean confidence of the recognised words, 0…1 (0 when no word was found).
        let confidence: Double
        let pages: Int
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Whether OCR can run here: the program answers and has the Vietnamese data.
    func isAvailable() async -> Bool {
        guard let tesseract else { return false }
        guard let run = try? await Self.run(tesseract, ["--list-langs"], timeout: 30), run.status == 0 else { return false }
        return run.output.split(whereSeparator: \.isNewline).contains { $0.trimmingCharacters(in: .whitespaces) == "vie" }
    }

    /// Reads the scan at `file`, of kind `ext` (`pdf`, `png`, `jpg`, `jpeg`, `tif`, `tiff`), in a scratch directory
    /// that is removed afterwards.
    func recognise(_ file: URL, ext: String, scratch: URL) async throws -> Result {
        guard let tesseract else { throw Failure(description: "OCR is off") }
        let directory = scratch.appendingPathComponent("ocr-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var images: [URL] = [file]
        if ext == "pdf" {
            // 300 dpi greyscale, as Tesseract reads best; the first pages only.
            let rendered = try await Self.run("pdftoppm", ["-r", "300", "-gray", "-png", "-l", String(Self.maxPages), file.path,
                                                           directory.appendingPathComponent("page").path], timeout: Self.timeout * 4)
            guard rendered.status == 0 else { throw Failure(description: "pdftoppm: \(rendered.output.prefix(300))") }
            images = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "png" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
        var texts: [String] = []
        var confidences: [Double] = []
        for (index, image) in images.enumerated() {
            // The server is stopping: the scan's claim goes stale and a later run reads it again.
            try Task.checkCancellation()
            let base = directory.appendingPathComponent("out-\(index)")
            // A multi-page TIFF is read whole by Tesseract: its text and words come out page after page.
            let run = try await Self.run(tesseract, [image.path, base.path, "-l", "vie", "txt", "tsv"], timeout: Self.timeout)
            guard run.status == 0 else { throw Failure(description: "tesseract: \(run.output.prefix(300))") }
            texts.append(try String(contentsOf: base.appendingPathExtension("txt"), encoding: .utf8))
            confidences += Self.wordConfidences(tsv: try String(contentsOf: base.appendingPathExtension("tsv"), encoding: .utf8))
        }
        let text = texts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        let confidence = confidences.isEmpty ? 0 : confidences.reduce(0, +) / Double(confidences.count) / 100
        return Result(text: text.precomposedStringWithCanonicalMapping, confidence: min(1, max(0, confidence)), pages: images.count)
    }

    /// Each recognised word's confidence (0…100) from Tesseract's TSV: level 5 rows with text.
    static func wordConfidences(tsv: String) -> [Double] {
        tsv.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 12, columns[0] == "5", let confidence = Double(columns[10]), confidence >= 0,
                  !columns[11].trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return confidence
        }
    }

    /// Runs `tool` (found on PATH) with `arguments`; its combined output (the first 64 KB) and exit status. Killed
    /// after `timeout` seconds.
    ///
    /// The output goes to a temporary file, read once the child has exited, and never through a `Pipe` with a
    /// `readabilityHandler`: tearing such a pipe down races libdispatch's asynchronous cancellation of its read
    /// source on Linux, which crashed the server in `_dispatch_event_loop_drain` (a stale epoll registration).
    /// A file also never blocks a chatty child the way a full pipe would.
    static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval) async throws -> (output: String, status: Int32) {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("egov-tool-\(UUID().uuidString).out")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw Failure(description: "cannot create \(outputFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
                if process.isRunning { process.terminate() }
            }
        }
        let reader = try FileHandle(forReadingFrom: outputFile)
        defer { try? reader.close() }
        let data = try reader.read(upToCount: 65_536) ?? Data()
        return (String(decoding: data, as: UTF8.self), status)
    }
}
