// TEMPORARY until the real SMTPMailer lands; delete this file then.
import Foundation
import NIOCore
public struct MailMessage: Sendable, Hashable {
    public var from: String
    public var fromName: String?
    public var to: [String]
    public var subject: String
    public var body: String
    public init(from: String, fromName: String? = nil, to: [String], subject: String, body: String) {
        self.from = from; self.fromName = fromName; self.to = to; self.subject = subject; self.body = body
    }
}
public struct SMTPConfiguration: Sendable, Hashable {
    public enum Security: String, Sendable { case none, startTLS }
    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var heloName: String
    public var timeout: TimeInterval
    public init(host: String, port: Int = 25, security: Security = .none, username: String? = nil, password: String? = nil, heloName: String = "localhost", timeout: TimeInterval = 20) {
        self.host = host; self.port = port; self.security = security; self.username = username; self.password = password; self.heloName = heloName; self.timeout = timeout
    }
}
public struct SMTPMailer: Sendable {
    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup) {}
    public func send(_ message: MailMessage, date: Date = Date()) async throws {}
}
