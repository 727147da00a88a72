import EGovPlatform
import EGovWeb
import Vapor

/// Registers the platform's routes: operations, the JSON API under /api/v1, and the web pages.
func routes(_ app: Application) throws {
    try app.register(collection: OperationsController())
    app.get("openapi.json") { req in try OpenAPIDocument.response(for: req.application) }

    let api = app.apiRoutes
    try api.register(collection: AuthAPI())
    try api.register(collection: UnitsAPI())
    try api.register(collection: UsersAPI())
    try api.register(collection: CitizensAPI())
    try api.register(collection: CalendarAPI())
    try api.register(collection: PKIAPI())
    try api.register(collection: PKIIssuance())
    try api.register(collection: SignaturesAPI())

    let web = app.webRoutes
    try web.register(collection: AssetsController())
    try web.register(collection: AccountPages())
    try web.register(collection: SignatureCheckPage())
    try web.grouped(RequirePrincipal()).register(collection: AdminPages())
    if app.egov.paymentGateway?.isSandbox == true { try app.register(collection: PaymentSandbox()) }
}

extension Application {
    /// The web route group: sessions, the signed-in account, CSRF checks.
    var webRoutes: any RoutesBuilder {
        grouped(sessions.middleware, SessionAuthenticator(), CSRFProtection(secureCookie: egov.configuration.sessionCookieSecure))
    }

    /// The API route group: `/api/v1` with bearer tokens.
    var apiRoutes: any RoutesBuilder {
        grouped("api", "v1").grouped(BearerAuthenticator())
    }
}
