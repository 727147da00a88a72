@testable import EGovPlatform
@testable import EGovServer
import Foundation

/// A generated scan of a Vietnamese paper document: text with diacritics set in the platform's embedded DejaVu
/// Sans (two signature-stamp appearances, enlarged) on an A4 page, then rendered to a PNG at 200 dpi by poppler's
/// `pdftoppm`, as a scanner would give it.
enum TestScan {
    /// The page as a PDF: each (title, unit) pair is one enlarged box of three lines.
    static func pdf(_ boxes: [(String, String)]) throws -> [UInt8] {
        var objects: [(Int, [UInt8])] = []
        var names: [String] = []
        var content = ""
        var next = 5
        for (index, box) in boxes.enumerated() {
            let stamp = SignatureStamp(signer: box.0, unit: box.1, at: Date(timeIntervalSince1970: 1_790_000_000), verification: nil)
            objects += try stamp.objects(first: next)
            names.append("/S\(index) \(next) 0 R")
            content += "q 2.4 0 0 2.4 14 \(640 - index * 190) cm /S\(index) Do Q\n"
            next += 6
        }
        var out = Array("%PDF-1.7\n".utf8)
        var offsets: [Int: Int] = [:]
        func object(_ number: Int, _ body: [UInt8]) {
            offsets[number] = out.count
            out += Array("\(number) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        object(1, Array("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        object(2, Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8))
        object(3, Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << \(names.joined(separator: " ")) >> >> /Contents 4 0 R >>".utf8))
        object(4, Array("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream".utf8))
        for (number, body) in objects { object(number, body) }
        let xref = out.count
        out += Array("xref\n0 \(next)\n0000000000 65535 f\r\n".utf8)
        for number in 1..<next { out += Array((String(format: "%010d", offsets[number] ?? 0) + " 00000 n\r\n").utf8) }
        out += Array("trailer\n<< /Size \(next) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    /// The page rendered to a PNG by `pdftoppm`, as a scan.
    static func png(_ boxes: [(String, String)]) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egov-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(try pdf(boxes)).write(to: folder.appendingPathComponent("page.pdf"))
        let run = try Backup.capture("pdftoppm", ["-r", "200", "-gray", "-png", "-singlefile", folder.appendingPathComponent("page.pdf").path,
                                                   folder.appendingPathComponent("scan").path])
        guard run.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: run.output]) }
        return Array(try Data(contentsOf: folder.appendingPathComponent("scan.png")))
    }
}
