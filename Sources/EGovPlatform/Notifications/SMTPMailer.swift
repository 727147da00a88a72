import Foundation
import NIOCore
import NIOPosix

/// An e-mail to send: plain text, UTF-8 (Vietnamese with diacritics).
public struct MailMessage: Sendable, Hashable {
    public var from: String
    public var fromName: String?
    public var to: [String]
    public var subject: String
    public var body: String

    public init(from: String, fromName: String? = nil, to: [String], subject: String, body: String) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.body = body
    }
}

public struct SMTPConfiguration: Sendable, Hashable {
    /// `startTLS` is not built yet: use a relay on the same host or network (the usual set-up of a
    /// provincial data centre) until it is.
    public enum Security: String, Sendable { case none, startTLS }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var heloName: String
    public var timeout: TimeInterval

    public init(host: String, port: Int = 25, security: Security = .none, username: String? = nil, password: String? = nil,
                heloName: String = "localhost", timeout: TimeInterval = 20) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
    }
}

/// What went wrong, at which stage of the conversation, with the server's own words.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public let stage: String
    public let code: Int?
    public let reply: String

    public var description: String { "SMTP \(stage): \(code.map(String.init) ?? "no reply") \(reply)" }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: one connection per message, which is what an outbox
/// sending a few messages a second needs. The message goes as MIME text/plain, UTF-8, base64.
public struct SMTPMailer: Sendable {
    let configuration: SMTPConfiguration
    let eventLoopGroup: any EventLoopGroup

    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    public func send(_ message: MailMessage, date: Date = Date()) async throws {
        guard configuration.security == .none else {
            throw SMTPError(stage: "STARTTLS", code: nil, reply: "STARTTLS is not supported yet; use a relay without it")
        }
        let timeout = configuration.timeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.converse(message, date: date) }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                throw SMTPError(stage: "timeout", code: nil, reply: "no answer within \(Int(timeout)) s")
            }
            // The first to finish decides; the other is cancelled.
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func converse(_ message: MailMessage, date: Date) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(.seconds(Int64(max(1, configuration.timeout))))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(stage: "connect", code: nil, reply: "\(configuration.host):\(configuration.port): \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var session = Session(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect([220], stage: "greeting")
            let greeting = try await session.command("EHLO \(configuration.heloName)", stage: "EHLO", accept: [250, 500, 502])
            if greeting.code != 250 { _ = try await session.command("HELO \(configuration.heloName)", stage: "HELO", accept: [250]) }
            if let username = configuration.username {
                let secret = Data("\u{0}\(username)\u{0}\(configuration.password ?? "")".utf8).base64EncodedString()
                _ = try await session.command("AUTH PLAIN \(secret)", stage: "AUTH", accept: [235])
            }
            _ = try await session.command("MAIL FROM:<\(message.from)>", stage: "MAIL FROM", accept: [250])
            for recipient in message.to {
                _ = try await session.command("RCPT TO:<\(recipient)>", stage: "RCPT TO", accept: [250, 251])
            }
            _ = try await session.command("DATA", stage: "DATA", accept: [354])
            _ = try await session.command(Self.render(message, date: date, heloName: configuration.heloName) + "\r\n.", stage: "message",
                                          accept: [250])
            _ = try? await session.command("QUIT", stage: "QUIT", accept: [221])
        }
    }

    /// Reads replies line by line and writes commands.
    private struct Session {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var pending = ""

        /// One whole reply: lines `250-…` continue it, `250 …` ends it.
        mutating func reply(stage: String) async throws -> (code: Int, text: String) {
            var lines: [String] = []
            while true {
                while let range = pending.range(of: "\r\n") ?? pending.range(of: "\n") {
                    let line = String(pending[..<range.lowerBound])
                    pending.removeSubrange(..<range.upperBound)
                    lines.append(line)
                    let bytes = Array(line.utf8)
                    if bytes.count >= 3, bytes.count == 3 || bytes[3] == UInt8(ascii: " ") {
                        guard let code = Int(String(line.prefix(3))) else { throw SMTPError(stage: stage, code: nil, reply: line) }
                        return (code, lines.joined(separator: "\n"))
                    }
                }
                guard let buffer = try await inbound.next() else {
                    throw SMTPError(stage: stage, code: nil, reply: "connection closed")
                }
                pending += String(buffer: buffer)
            }
        }

        mutating func expect(_ codes: Set<Int>, stage: String) async throws {
            let answer = try await reply(stage: stage)
            guard codes.contains(answer.code) else { throw SMTPError(stage: stage, code: answer.code, reply: answer.text) }
        }

        mutating func command(_ text: String, stage: String, accept codes: Set<Int>) async throws -> (code: Int, text: String) {
            try await outbound.write(ByteBuffer(string: text + "\r\n"))
            let answer = try await reply(stage: stage)
            guard codes.contains(answer.code) else { throw SMTPError(stage: stage, code: answer.code, reply: answer.text) }
            return answer
        }
    }

    /// Headers and body as MIME: UTF-8 words in headers (RFC 2047), the body base64 in 76-character lines,
    /// so no line of the message can be mistaken for the end of data.
    static func render(_ message: MailMessage, date: Date, heloName: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let from = message.fromName.map { "\(encodedWord($0)) <\(message.from)>" } ?? "<\(message.from)>"
        let body = Data(message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "Date: \(formatter.string(from: date))",
            "From: \(from)",
            "To: \(message.to.map { "<\($0)>" }.joined(separator: ", "))",
            "Subject: \(encodedWord(message.subject))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(heloName)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            body,
        ].joined(separator: "\r\n")
    }

    /// `=?UTF-8?B?…?=`, split so no encoded word is longer than the standard allows.
    static func encodedWord(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }
}
