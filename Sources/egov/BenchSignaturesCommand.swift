import ArgumentParser
import EGovPlatform
import Foundation

struct BenchSignaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-signatures",
        abstract: "Measure PDF and XML signatures per second in-process, beside bare RSA-2048 signatures with the same key.")

    @ArgumentParser.Option(help: "Size of the PDF to sign, in bytes.") var pdfBytes = 1_048_576
    @ArgumentParser.Option(help: "Size of the edXML message to sign, in bytes.") var xmlBytes = 16_384
    @ArgumentParser.Option(help: "Seconds to measure each path.") var seconds = 5.0

    func run() throws {
        guard (1_000...100_000_000).contains(pdfBytes) else { throw ValidationError("--pdf-bytes must be between 1000 and 100000000") }
        guard (1_000...20_000_000).contains(xmlBytes) else { throw ValidationError("--xml-bytes must be between 1000 and 20000000") }
        guard (0.1...600).contains(seconds) else { throw ValidationError("--seconds must be between 0.1 and 600") }
        FileHandle.standardError.write(Data("measuring PDF signatures (\(pdfBytes) bytes), then with a time-stamp, then bare RSA-2048 signatures, then PIN unlocks, then XML signatures (\(xmlBytes) bytes), then PDF and bare ECDSA P-256 signatures, \(seconds) s each…\n".utf8))
        let result = try SigningBenchmark.run(pdfBytes: pdfBytes, xmlBytes: xmlBytes, seconds: seconds)
        // One line per figure, `name value`, for bench/signatures.sh.
        print("pdf_bytes \(result.pdfBytes)")
        print("signed_bytes \(result.signedBytes)")
        print(String(format: "pdf_signatures_per_second %.1f", result.pdfPerSecond))
        print(String(format: "pdf_timestamped_signatures_per_second %.1f", result.pdfTimeStampedPerSecond))
        print(String(format: "rsa2048_signatures_per_second %.1f", result.rsaPerSecond))
        print(String(format: "pin_unlocks_per_second %.2f", result.pinUnlocksPerSecond))
        print("xml_bytes \(result.xmlBytes)")
        print(String(format: "xml_signatures_per_second %.1f", result.xmlPerSecond))
        print(String(format: "pdf_p256_signatures_per_second %.1f", result.pdfP256PerSecond))
        print(String(format: "p256_signatures_per_second %.1f", result.p256PerSecond))
    }
}
