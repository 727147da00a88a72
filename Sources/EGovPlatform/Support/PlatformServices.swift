import EGovCore
import Vapor

/// The platform's shared services, built once at configuration and reached from any request.
public struct PlatformServices: Sendable {
    public let configuration: EGovConfiguration
    public let secrets: Secrets
    public let clock: EGovClock
    public let modules: [any EGovModule]
    public let permissions: PermissionCatalog
    public let files: FileStore
    public let passwords: PasswordService
    public let personalData: PersonalDataProtector
    public let calendars: CalendarService
    /// Signing with officers' remote keys and verifying signatures (issue 13).
    public var signatures: SignatureService
    /// nil when neither a real gateway nor the sandbox is configured: online payment answers 503.
    public let paymentGateway: PaymentGateway?
    public let trustedProxies: TrustedProxies
    /// Sign-in, token and registration attempts per client address (issue 11: guessing in parallel).
    public let authLimiter: RateLimiter
    /// Public signature checks per client address: each hashes and parses up to 20 MB.
    public let verificationLimiter: RateLimiter
    /// Bearer tokens' accounts and positions, kept for seconds (issue 15).
    public let principals: PrincipalCache
    /// Where notifications go; set by the server at configuration (tests point it at their own servers).
    public var transports: Outbox.Transports

    public init(configuration: EGovConfiguration, secrets: Secrets, clock: EGovClock, modules: [any EGovModule],
                threadPool: NIOThreadPool) {
        self.configuration = configuration
        self.secrets = secrets
        self.clock = clock
        self.modules = modules
        self.permissions = PermissionCatalog(modules: modules)
        self.files = FileStore(root: configuration.filesDirectory)
        self.passwords = PasswordService(cost: configuration.bcryptCost, threadPool: threadPool)
        self.personalData = PersonalDataProtector(hashKey: secrets.key(for: "pii-hash"), sealKey: secrets.key(for: "pii-seal"))
        self.calendars = CalendarService()
        self.signatures = SignatureService(clock: clock, threadPool: threadPool, secrets: secrets)
        self.paymentGateway = PaymentGateway(configuration: configuration, secrets: secrets)
        self.trustedProxies = TrustedProxies(configuration.trustedProxies)
        self.authLimiter = RateLimiter(limit: configuration.authRateLimitPerMinute)
        self.verificationLimiter = RateLimiter(limit: 60)
        self.principals = PrincipalCache(ttl: configuration.principalCacheSeconds)
        let logger = Logger(label: "egov.notifications")
        self.transports = Outbox.Transports(mail: LogMailTransport(logger: logger), sms: LogSMSProvider(logger: logger),
                                            mailFrom: configuration.mail.from, mailFromName: configuration.mail.fromName)
    }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = PlatformServices }

    /// Set by `configure`; reading it earlier is a programming error caught at start-up, not on a request path.
    public var egov: PlatformServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("PlatformServices used before configure()") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    public var egov: PlatformServices { application.egov }
}
