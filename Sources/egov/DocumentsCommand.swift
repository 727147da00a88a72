import ArgumentParser
import Documents
import EGovPlatform
import EGovServer
import Foundation

struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "documents", abstract: "Official documents tools.",
                                                    subcommands: [ImportScans.self])

    struct ImportScans: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-scans",
            abstract: "Digitise a folder of scanned paper documents (PDF, PNG, JPEG, TIFF) into a unit's incoming box, then OCR them.",
            discussion: "Each scan waits in the unit's incoming box for its clerk to register it; its text, read by Tesseract (Vietnamese), "
                + "makes it searchable. A scan already digitised at the unit is skipped, so an interrupted import is run again as it was.")

        @OptionGroup var global: GlobalOptions
        @ArgumentParser.Argument(help: "The folder of scans.") var directory: String
        @ArgumentParser.Option(help: "The receiving unit's electronic identifier code, e.g. 000.00.03.H99.") var unit: String

        func run() async throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("not a folder: \(directory)")
            }
            let folder = URL(fileURLWithPath: directory, isDirectory: true)
            let summary = try await AppRunner.withApp(global.configuration()) { app in
                try await ScanImport.run(folder: folder, unit: unit, services: app.egov, on: app.db, logger: app.logger) { line in
                    FileHandle.standardError.write(Data("\r\u{1B}[K  \(line.prefix(100))".utf8))
                }
            }
            say("")
            say("imported \(summary.imported) scan(s) into \(unit); OCR read \(summary.read)"
                + (summary.ocrOff ? " (OCR is off: install tesseract-ocr and tesseract-ocr-vie, then the server reads them)" : ""))
            if !summary.skipped.isEmpty { say("skipped \(summary.skipped.count): \(summary.skipped.prefix(10).joined(separator: ", "))") }
            for refusal in summary.refused { say("refused \(refusal.file): \(refusal.reason)") }
            if !summary.refused.isEmpty { throw ExitCode(1) }
        }
    }
}
