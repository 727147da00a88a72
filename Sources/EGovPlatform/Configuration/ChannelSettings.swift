import Foundation

/// The online payment gateway (VNPay protocol). Without `EGOV_VNPAY_URL` the server's own sandbox
/// gateway (`/payment-sandbox/…`) takes payments, so the whole flow runs on one machine.
public struct PaymentSettings: Sendable {
    public var gatewayURL: String?
    public var tmnCode: String
    /// The merchant's hash secret; in sandbox mode, derived from the installation secret when not given.
    public var hashSecret: String?

    public init(gatewayURL: String? = nil, tmnCode: String = "EGOVDEMO", hashSecret: String? = nil) {
        self.gatewayURL = gatewayURL
        self.tmnCode = tmnCode
        self.hashSecret = hashSecret
    }

    /// `EGOV_VNPAY_URL`, `EGOV_VNPAY_TMN_CODE`, `EGOV_VNPAY_SECRET`.
    public init(environment: [String: String]) {
        self.init(gatewayURL: environment["EGOV_VNPAY_URL"].flatMap { $0.isEmpty ? nil : $0 },
                  tmnCode: environment["EGOV_VNPAY_TMN_CODE"].flatMap { $0.isEmpty ? nil : $0 } ?? "EGOVDEMO",
                  hashSecret: environment["EGOV_VNPAY_SECRET"].flatMap { $0.isEmpty ? nil : $0 })
    }

    public var usesSandbox: Bool { gatewayURL == nil }
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
