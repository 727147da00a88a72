import Fluent
import Foundation
import SQLKit
import Vapor

/// Where e-mail goes. `SMTPMailer` in production; `LogMailTransport` when no SMTP server is configured.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws
}

/// Where text messages go: a pluggable provider (an operator's HTTP API, or the log).
public protocol SMSProvider: Sendable {
    func send(to phone: String, text: String) async throws
}

extension SMTPMailer: MailTransport {
    public func send(_ message: MailMessage) async throws { try await send(message, date: Date()) }
}

/// The notification outbox: `enqueue` inside the transaction of the action that causes a message;
/// `deliverDue` (run by the server every few seconds, on any node) sends what is due.
public enum Outbox {
    public struct Transports: Sendable {
        public var mail: any MailTransport
        public var sms: any SMSProvider
        public var mailFrom: String
        public var mailFromName: String?

        public init(mail: any MailTransport, sms: any SMSProvider, mailFrom: String, mailFromName: String?) {
            self.mail = mail
            self.sms = sms
            self.mailFrom = mailFrom
            self.mailFromName = mailFromName
        }
    }

    /// How long a claimed message is reserved for the node sending it; after that another node may retry it.
    static let lease: TimeInterval = 300
    /// Attempts before a message is given up as failed (the last waits about two hours).
    public static let maxAttempts = 8

    public static func enqueue(_ channel: OutboxMessageModel.Channel, to recipient: String, subject: String, body: String,
                               reference: String, at date: Date, on db: any Database) async throws {
        let trimmed = recipient.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        try await OutboxMessageModel(channel: channel, recipient: trimmed, subject: subject, body: body, reference: reference, at: date)
            .create(on: db)
    }

    /// Sends the messages that are due; returns how many were sent. Several nodes may run it at once:
    /// on PostgreSQL each claims its own rows (`FOR UPDATE SKIP LOCKED`), SQLite has one writer anyway.
    @discardableResult
    public static func deliverDue(on db: any Database, transports: Transports, now: Date, limit: Int = 50) async throws -> Int {
        let claimed = try await claim(on: db, now: now, limit: limit)
        var sent = 0
        for message in claimed {
            do {
                switch OutboxMessageModel.Channel(rawValue: message.channel) {
                case .email:
                    try await transports.mail.send(MailMessage(from: transports.mailFrom, fromName: transports.mailFromName,
                                                               to: [message.recipient], subject: message.subject, body: message.body))
                case .sms:
                    try await transports.sms.send(to: message.recipient, text: message.body)
                case nil:
                    throw OutboxError.unknownChannel(message.channel)
                }
                message.status = OutboxMessageModel.Status.sent.rawValue
                message.sentAt = now
                message.lastError = nil
                sent += 1
            } catch {
                message.lastError = String(String(describing: error).prefix(500))
                if message.attempts >= maxAttempts {
                    message.status = OutboxMessageModel.Status.failed.rawValue
                } else {
                    message.status = OutboxMessageModel.Status.pending.rawValue
                    message.nextAttemptAt = now.addingTimeInterval(30 * pow(2, Double(message.attempts - 1)))
                }
            }
            try await message.save(on: db)
        }
        return sent
    }

    static func claim(on db: any Database, now: Date, limit: Int) async throws -> [OutboxMessageModel] {
        try await db.transaction { tx in
            let due = [OutboxMessageModel.Status.pending.rawValue, OutboxMessageModel.Status.sending.rawValue]
            let ids: [UUID]
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
                ids = try await sql.raw("""
                    SELECT id FROM \(ident: OutboxMessageModel.schema)
                    WHERE status IN (\(binds: due)) AND next_attempt_at <= \(bind: now)
                    ORDER BY next_attempt_at LIMIT \(bind: limit) FOR UPDATE SKIP LOCKED
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
            } else {
                ids = try await OutboxMessageModel.query(on: tx).filter(\.$status ~~ due).filter(\.$nextAttemptAt <= now)
                    .sort(\.$nextAttemptAt).limit(limit).all(\.$id)
            }
            guard !ids.isEmpty else { return [] }
            let messages = try await OutboxMessageModel.query(on: tx).filter(\.$id ~~ ids).sort(\.$createdAt).all()
            for message in messages {
                message.status = OutboxMessageModel.Status.sending.rawValue
                message.attempts += 1
                message.nextAttemptAt = now.addingTimeInterval(lease)
                try await message.save(on: tx)
            }
            return messages
        }
    }

    enum OutboxError: Error { case unknownChannel(String) }
}

/// Writes e-mails to the log instead of sending them: the default when no SMTP server is configured.
public struct LogMailTransport: MailTransport {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func send(_ message: MailMessage) async throws {
        logger.info("e-mail (no SMTP server configured)", metadata: ["to": .string(message.to.joined(separator: ",")),
                                                                     "subject": .string(message.subject)])
    }
}

/// Writes text messages to the log: the default SMS provider until an operator's API is configured.
public struct LogSMSProvider: SMSProvider {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func send(to phone: String, text: String) async throws {
        logger.info("SMS (log provider)", metadata: ["to": .string(phone), "text": .string(text)])
    }
}
