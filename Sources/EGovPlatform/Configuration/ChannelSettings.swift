import Foundation

/// The online payment gateway (VNPay protocol): a real gateway (`EGOV_VNPAY_URL`), or — only when asked
/// for with `EGOV_PAYMENT_SANDBOX=1` (`egov serve --payment-sandbox`) — the server's own sandbox gateway
/// (`/payment-sandbox/…`), so the whole flow runs on one machine for a demonstration. With neither,
/// online payment is unavailable (503) and fees are taken at the counter.
public struct PaymentSettings: Sendable {
    public var gatewayURL: String?
    public var tmnCode: String
    /// The merchant's hash secret; in sandbox mode, derived from the installation secret when not given.
    public var hashSecret: String?

    /// Whether the built-in sandbox gateway may take payments when no real gateway is configured.
    public var sandboxEnabled: Bool

    public init(gatewayURL: String? = nil, tmnCode: String = "EGOVDEMO", hashSecret: String? = nil, sandboxEnabled: Bool = false) {
        self.gatewayURL = gatewayURL
        self.tmnCode = tmnCode
        self.hashSecret = hashSecret
        self.sandboxEnabled = sandboxEnabled
    }

    /// `EGOV_VNPAY_URL`, `EGOV_VNPAY_TMN_CODE`, `EGOV_VNPAY_SECRET`.
    public init(environment: [String: String]) {
        self.init(gatewayURL: environment["EGOV_VNPAY_URL"].flatMap { $0.isEmpty ? nil : $0 },
                  tmnCode: environment["EGOV_VNPAY_TMN_CODE"].flatMap { $0.isEmpty ? nil : $0 } ?? "EGOVDEMO",
                  hashSecret: environment["EGOV_VNPAY_SECRET"].flatMap { $0.isEmpty ? nil : $0 },
                  sandboxEnabled: environment["EGOV_PAYMENT_SANDBOX"] == "1")
    }

    public var usesSandbox: Bool { gatewayURL == nil && sandboxEnabled }
}

/// Outgoing e-mail. Without `EGOV_SMTP_HOST` messages are written to the log instead.
public struct MailSettings: Sendable {
    public var smtp: SMTPConfiguration?
    public var from: String
    public var fromName: String?

    public init(smtp: SMTPConfiguration? = nil, from: String = "no-reply@localhost", fromName: String? = nil) {
        self.smtp = smtp
        self.from = from
        self.fromName = fromName
    }

    /// `EGOV_SMTP_HOST`, `EGOV_SMTP_PORT` (25), `EGOV_SMTP_STARTTLS=1`, `EGOV_SMTP_USER`, `EGOV_SMTP_PASSWORD`,
    /// `EGOV_MAIL_FROM`, `EGOV_MAIL_FROM_NAME`.
    public init(environment: [String: String]) {
        var smtp: SMTPConfiguration?
        if let host = environment["EGOV_SMTP_HOST"], !host.isEmpty {
            smtp = SMTPConfiguration(host: host, port: environment["EGOV_SMTP_PORT"].flatMap(Int.init) ?? 25,
                                     security: environment["EGOV_SMTP_STARTTLS"] == "1" ? .startTLS : .none,
                                     username: environment["EGOV_SMTP_USER"].flatMap { $0.isEmpty ? nil : $0 },
                                     password: environment["EGOV_SMTP_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 })
        }
        self.init(smtp: smtp, from: environment["EGOV_MAIL_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? "no-reply@localhost",
                  fromName: environment["EGOV_MAIL_FROM_NAME"].flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// Outgoing text messages: an operator's HTTP API (`EGOV_SMS_URL`, bearer `EGOV_SMS_TOKEN`), else the log.
public struct SMSSettings: Sendable {
    public var url: String?
    public var token: String?

    public init(url: String? = nil, token: String? = nil) {
        self.url = url
        self.token = token
    }

    public init(environment: [String: String]) {
        self.init(url: environment["EGOV_SMS_URL"].flatMap { $0.isEmpty ? nil : $0 },
                  token: environment["EGOV_SMS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
