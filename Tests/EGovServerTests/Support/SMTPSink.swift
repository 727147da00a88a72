import Foundation
import Testing

/// The real SMTP server the suite sends to: aiosmtpd on loopback, started outside the test process
/// (`scripts/smtp-sink.sh`, run by `.ci/run`), like the PostgreSQL server. Each message lands in its maildir.
struct SMTPSink: Sendable {
    let port: Int
    let maildir: URL

    /// From `EGOV_TEST_SMTP_PORT` and `EGOV_TEST_SMTP_MAILDIR`; nil when no sink runs.
    static let configured: SMTPSink? = {
        let environment = ProcessInfo.processInfo.environment
        guard let port = environment["EGOV_TEST_SMTP_PORT"].flatMap(Int.init), let dir = environment["EGOV_TEST_SMTP_MAILDIR"],
              !dir.isEmpty else { return nil }
        return SMTPSink(port: port, maildir: URL(fileURLWithPath: dir))
    }()

    struct Mail {
        let to: String
        let subject: String
        let body: String
        let raw: String
    }

    /// Every message the server holds (from earlier runs too: tests pick theirs by recipient).
    func messages() throws -> [Mail] {
        let new = maildir.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []
        return try names.sorted().map { name in
            Self.parse(try String(contentsOf: new.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// The messages to `recipient`, waiting up to `timeout` for `count` of them.
    func messages(to recipient: String, count: Int, timeout: TimeInterval = 10) async throws -> [Mail] {
        let deadline = Date().addingTimeInterval(timeout)
        var found: [Mail] = []
        repeat {
            found = try messages().filter { $0.to.contains(recipient) }
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        return found
    }

    static func parse(_ raw: String) -> Mail {
        let normalized = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let parts = normalized.components(separatedBy: "\n\n")
        var headers: [String: String] = [:]
        var last: String?
        for line in (parts.first ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.first == " " || line.first == "\t", let key = last {
                headers[key, default: ""] += line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].lowercased()
                headers[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = key
            }
        }
        let encodedBody = parts.dropFirst().joined(separator: "\n\n").replacingOccurrences(of: "\n", with: "")
        let body = Data(base64Encoded: encodedBody).map { String(decoding: $0, as: UTF8.self) } ?? encodedBody
        return Mail(to: headers["to"] ?? "", subject: decodeWords(headers["subject"] ?? ""), body: body, raw: raw)
    }

    /// `=?UTF-8?B?…?=` words back to text.
    static func decodeWords(_ header: String) -> String {
        var result = ""
        var rest = Substring(header)
        while let start = rest.range(of: "=?UTF-8?B?") {
            result += rest[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
            let after = rest[start.upperBound...]
            guard let end = after.range(of: "?=") else { break }
            result += Data(base64Encoded: String(after[..<end.lowerBound])).map { String(decoding: $0, as: UTF8.self) } ?? ""
            rest = after[end.upperBound...]
        }
        return result + rest
    }
}
