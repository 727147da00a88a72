import Foundation

/// Everything the server reads from its environment, in one typed place with safe defaults.
public struct EGovConfiguration: Sendable {
    /// Where the embedded database, files, secrets and first-start credentials live.
    public var dataDirectory: URL
    /// `postgres://…` switches to PostgreSQL; nil means SQLite at `<data-dir>/egov.sqlite`.
    public var databaseURL: String?
    public var host: String
    public var port: Int
    /// bcrypt cost. 12 in production; tests lower it so that hashing does not dominate the suite.
    public var bcryptCost: Int
    public var accessTokenLifetime: TimeInterval
    public var refreshTokenLifetime: TimeInterval
    public var lockout: LockoutPolicy
    /// How often the audit sealer closes a batch.
    public var auditSealInterval: TimeInterval
    /// Pack loaded on first start when the database has no units.
    public var initialPack: URL?
    /// Run migrations at start (`--no-migrate` turns it off).
    public var autoMigrate: Bool
    /// A secret from the environment (`EGOV_SECRET_KEY`, base64, ≥ 32 bytes) that replaces the one in the data dir,
    /// for several nodes that share one database.
    public var secretKeyBase64: String?
    public var sessionCookieSecure: Bool
    /// Database connections per event loop (PostgreSQL). Tests that run many installations at once lower it.
    public var maxConnectionsPerEventLoop: Int = 8
    /// The address people reach the server at (`EGOV_PUBLIC_URL`), for links in e-mails and payment return URLs.
    public var publicURL: String?
    /// An outside RFC 3161 time-stamping authority (`EGOV_TSA_URL`) that stamps signatures and audit seals
    /// instead of the locality's own; its CA must be trusted here (`/api/v1/pki/trusted`).
    public var timeStampAuthorityURL: String?
    /// The largest file an applicant may attach (`EGOV_MAX_UPLOAD_MB`, default 10 MB).
    public var maxUploadBytes: Int = 10 * 1024 * 1024
    /// The Tesseract program that reads scanned documents (`EGOV_TESSERACT`, default `tesseract` on PATH); nil
    /// turns OCR off (`EGOV_TESSERACT=off`). Without the program, or its Vietnamese data, OCR is off by itself.
    public var tesseract: String? = "tesseract"
    /// Addresses (or IPv4 CIDR ranges) of reverse proxies whose `X-Forwarded-For` is believed
    /// (`EGOV_TRUSTED_PROXIES`, comma-separated). Empty: the header is ignored, the peer is the client.
    public var trustedProxies: [String] = []
    /// A bearer token that opens `/metrics` to other hosts (`EGOV_METRICS_TOKEN`); loopback needs none.
    public var metricsToken: String?
    /// Sign-in, token and registration requests one client address may make per minute (`EGOV_AUTH_RATE_LIMIT`).
    public var authRateLimitPerMinute: Int = 20
    /// How long a bearer token's account and positions are kept without reading them again
    /// (`EGOV_PRINCIPAL_CACHE_SECONDS`, 0–60, default 5; 0 reads them on every request): a change made
    /// elsewhere than this server takes effect within it (`PrincipalCache`).
    public var principalCacheSeconds: TimeInterval = 5
    /// A browser session ends after this long without a request, and in any case after `sessionMaxAge`.
    public var sessionIdleTimeout: TimeInterval = 2 * 3600
    public var sessionMaxAge: TimeInterval = 12 * 3600
    public var payment = PaymentSettings()
    public var mail = MailSettings()
    public var sms = SMSSettings()

    public init(
        dataDirectory: URL,
        databaseURL: String? = nil,
        host: String = "127.0.0.1",
        port: Int = 8080,
        bcryptCost: Int = 12,
        accessTokenLifetime: TimeInterval = 15 * 60,
        refreshTokenLifetime: TimeInterval = 30 * 24 * 3600,
        lockout: LockoutPolicy = .init(),
        auditSealInterval: TimeInterval = 1,
        initialPack: URL? = nil,
        autoMigrate: Bool = true,
        secretKeyBase64: String? = nil,
        sessionCookieSecure: Bool = false
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.lockout = lockout
        self.auditSealInterval = auditSealInterval
        self.initialPack = initialPack
        self.autoMigrate = autoMigrate
        self.secretKeyBase64 = secretKeyBase64
        self.sessionCookieSecure = sessionCookieSecure
    }

    /// Reads `DATABASE_URL`, `EGOV_SECRET_KEY`, `EGOV_BCRYPT_COST`, `EGOV_SECURE_COOKIES` from the environment.
    public static func fromEnvironment(
        dataDirectory: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> EGovConfiguration {
        let directory = dataDirectory ?? environment["EGOV_DATA_DIR"] ?? "egov-data"
        var config = EGovConfiguration(dataDirectory: URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL)
        if let url = environment["DATABASE_URL"], !url.isEmpty { config.databaseURL = url }
        if let key = environment["EGOV_SECRET_KEY"], !key.isEmpty { config.secretKeyBase64 = key }
        if let cost = environment["EGOV_BCRYPT_COST"].flatMap(Int.init), (4...31).contains(cost) { config.bcryptCost = cost }
        config.sessionCookieSecure = environment["EGOV_SECURE_COOKIES"] == "1"
        if let url = environment["EGOV_PUBLIC_URL"], !url.isEmpty { config.publicURL = url }
        if let url = environment["EGOV_TSA_URL"], !url.isEmpty { config.timeStampAuthorityURL = url }
        if let megabytes = environment["EGOV_MAX_UPLOAD_MB"].flatMap(Int.init), (1...200).contains(megabytes) {
            config.maxUploadBytes = megabytes * 1024 * 1024
        }
        if let tesseract = environment["EGOV_TESSERACT"], !tesseract.isEmpty { config.tesseract = tesseract == "off" ? nil : tesseract }
        config.trustedProxies = (environment["EGOV_TRUSTED_PROXIES"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let token = environment["EGOV_METRICS_TOKEN"], token.utf8.count >= 16 { config.metricsToken = token }
        if let limit = environment["EGOV_AUTH_RATE_LIMIT"].flatMap(Int.init), (1...100_000).contains(limit) {
            config.authRateLimitPerMinute = limit
        }
        if let seconds = environment["EGOV_PRINCIPAL_CACHE_SECONDS"].flatMap(Int.init), (0...60).contains(seconds) {
            config.principalCacheSeconds = TimeInterval(seconds)
        }
        config.payment = PaymentSettings(environment: environment)
        config.mail = MailSettings(environment: environment)
        config.sms = SMSSettings(environment: environment)
        return config
    }

    public var usesPostgres: Bool {
        guard let databaseURL else { return false }
        return databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://")
    }

    /// `EGOV_PUBLIC_URL`, or the address the server listens on.
    public var baseURL: String {
        let url = publicURL ?? "http://\(host):\(port)"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    public var sqliteFile: URL { dataDirectory.appendingPathComponent("egov.sqlite") }
    public var filesDirectory: URL { dataDirectory.appendingPathComponent("files", isDirectory: true) }
}

/// After `maxFailures` wrong passwords in a row an account is locked for `baseDelay`, doubled for each
/// further failure up to `maxDelay`.
public struct LockoutPolicy: Sendable {
    public var maxFailures: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxFailures: Int = 5, baseDelay: TimeInterval = 60, maxDelay: TimeInterval = 3600) {
        self.maxFailures = maxFailures
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// How long to lock after the `failures`-th failure in a row, or nil if not yet.
    public func lockDuration(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= maxFailures else { return nil }
        let exponent = min(failures - maxFailures, 30)
        return min(baseDelay * pow(2, Double(exponent)), maxDelay)
    }
}
