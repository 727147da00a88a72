@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Vapor

/// Home, sign-in, sign-out, citizens' registration and the language switch.
struct AccountPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.home.pattern, use: home)
        routes.get(SiteRoute.login(next: nil).pattern, use: loginForm)
        routes.grouped(AuthRateLimit()).post(SiteRoute.login(next: nil).pattern, use: login)
        routes.post(SiteRoute.logout.pattern, use: logout)
        routes.get(SiteRoute.register.pattern, use: registerForm)
        routes.grouped(AuthRateLimit()).post(SiteRoute.register.pattern, use: register)
        routes.get(SiteRoute.language(.vi, back: nil).pattern, use: switchLanguage)
        routes.grouped(RequirePrincipal()).get(SiteRoute.changePassword.pattern, use: passwordForm)
        routes.grouped(RequirePrincipal(), AuthRateLimit()).post(SiteRoute.changePassword.pattern, use: changePassword)
    }

    func home(_ req: Request) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        return Layout.page(ctx, title: ctx.t(Strings.welcomeTitle), content: .group(
            .p(.class("lead"), .text(ctx.t(Strings.welcomeText))),
            .p(.a(.href(Esc.attr(SiteRoute.verifySignature.path)), .text(ctx.t(Strings.verifyTitle)))),
            .unwrap(ctx.principal, { principal in
                .p(.text("\(ctx.t(Strings.signedInAs)) \(principal.fullName) · "),
                   .a(.href(Esc.attr(SiteRoute.changePassword.path)), .text(ctx.t(Strings.changePassword))))
            }, else: .p(
                .a(.class("button"), .href(Esc.attr(SiteRoute.login(next: nil).path)), .text(ctx.t(Strings.signIn))), .text(" "),
                .a(.class("button secondary"), .href(Esc.attr(SiteRoute.register.path)), .text(ctx.t(Strings.register)))
            ))
        ))
    }

    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    func loginForm(_ req: Request) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let notice = req.query[String.self, at: "registered"] == "1" ? ctx.t(Strings.registerDone)
            : req.query[String.self, at: "changed"] == "1" ? ctx.t(Strings.passwordChanged) : nil
        return Self.loginPage(ctx, username: nil, next: SafeRedirect.path(req.query[String.self, at: "next"]), error: nil, notice: notice)
    }

    static func loginPage(_ ctx: PageContext, username: String?, next: String?, error: String?, notice: String?,
                          status: HTTPResponseStatus = .ok) -> Response {
        Layout.page(ctx, title: ctx.t(Strings.signIn), status: status, content: .group(
            .unwrap(notice) { Layout.notice($0) },
            .unwrap(error) { .div(.class("error-summary"), .attribute(named: "role", value: "alert"), .p(.text($0))) },
            .form(.method(.post), .action(Esc.attr(SiteRoute.login(next: nil).path)), .class("stack"),
                  Layout.csrfField(ctx),
                  .input(.type(.hidden), .name("next"), .value(Esc.attr(next ?? ""))),
                  Layout.field(ctx, name: "username", label: Strings.username, value: username, autocomplete: "username"),
                  Layout.field(ctx, name: "password", label: Strings.password, type: .password, autocomplete: "current-password"),
                  .button(.type(.submit), .text(ctx.t(Strings.signIn)))),
            .p(.text(ctx.t(Strings.noAccount) + " "), .a(.href(Esc.attr(SiteRoute.register.path)), .text(ctx.t(Strings.register))))
        ))
    }

    func login(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        do {
            let user = try await LoginService(services: req.egov).authenticate(
                identifier: form.username ?? "", password: form.password ?? "", clientAddress: req.clientAddress, on: req.db)
            // A new session id on sign-in, so a session id planted before login is worthless after it:
            // drop the old record and let the sessions middleware create a new one with a new id.
            if let old = req.session.id {
                try await req.application.sessions.driver.deleteSession(old, for: req).get()
                req.session.id = nil
            }
            req.session.data = SessionData()
            req.session.data[SessionAuthenticator.userKey] = try user.requireID().uuidString
            _ = req.csrfToken
            return req.redirect(to: SafeRedirect.path(form.next) ?? SiteRoute.home.path)
        } catch let error as LoginError {
            let ctx = try await PageContext.make(for: req)
            let message: String
            let status: HTTPResponseStatus
            switch error {
            case .invalidCredentials:
                message = ctx.t(Strings.loginFailed)
                status = .unauthorized
            case .locked(let until):
                message = ctx.t(EGovError.locked(until: until).detail)
                status = .tooManyRequests
            }
            return Self.loginPage(ctx, username: form.username, next: SafeRedirect.path(form.next), error: message, notice: nil, status: status)
        }
    }

    func logout(_ req: Request) async throws -> Response {
        req.auth.logout(Principal.self)
        req.session.destroy()
        return req.redirect(to: SiteRoute.home.path)
    }

    struct RegisterForm: Content {
        var fullName: String?
        var idNumber: String?
        var phone: String?
        var email: String?
        var password: String?
    }

    func registerForm(_ req: Request) async throws -> Response {
        Self.registerPage(try await PageContext.make(for: req), form: RegisterForm(), errors: [])
    }

    static func registerPage(_ ctx: PageContext, form: RegisterForm, errors: [ValidationError],
                             status: HTTPResponseStatus = .ok) -> Response {
        Layout.page(ctx, title: ctx.t(Strings.register), status: status, content: .group(
            Layout.errorSummary(ctx, errors),
            .form(.method(.post), .action(Esc.attr(SiteRoute.register.path)), .class("stack"),
                  Layout.csrfField(ctx),
                  Layout.field(ctx, name: "fullName", label: Strings.fullName, value: form.fullName, autocomplete: "name", errors: errors),
                  Layout.field(ctx, name: "idNumber", label: Strings.idNumber, value: form.idNumber, autocomplete: "off", errors: errors),
                  Layout.field(ctx, name: "phone", label: Strings.phone, type: .tel, value: form.phone, autocomplete: "tel", errors: errors),
                  Layout.field(ctx, name: "email", label: Strings.email, type: .email, value: form.email, autocomplete: "email", errors: errors),
                  Layout.field(ctx, name: "password", label: Strings.password, type: .password, autocomplete: "new-password",
                               errors: errors, hint: Strings.passwordRule),
                  .button(.type(.submit), .text(ctx.t(Strings.register))))
        ))
    }

    func register(_ req: Request) async throws -> Response {
        let form = try req.content.decode(RegisterForm.self)
        do {
            _ = try await AccountService(services: req.egov).registerApplicant(
                .init(fullName: form.fullName ?? "", idNumber: form.idNumber ?? "", phone: form.phone ?? "", email: form.email ?? "",
                      password: form.password ?? ""),
                clientAddress: req.clientAddress, on: req.db)
            return req.redirect(to: SiteRoute.login(next: nil).path + "?registered=1")
        } catch let error as AccountService.AccountError {
            var kept = form
            kept.password = nil
            return Self.registerPage(try await PageContext.make(for: req), form: kept, errors: error.fieldErrors, status: .badRequest)
        }
    }

    struct PasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?
    }

    func passwordForm(_ req: Request) async throws -> Response {
        Self.passwordPage(try await PageContext.make(for: req), errors: [])
    }

    static func passwordPage(_ ctx: PageContext, errors: [ValidationError], status: HTTPResponseStatus = .ok) -> Response {
        Layout.page(ctx, title: ctx.t(Strings.changePassword), status: status, content: .group(
            Layout.errorSummary(ctx, errors),
            .form(.method(.post), .action(Esc.attr(SiteRoute.changePassword.path)), .class("stack"),
                  Layout.csrfField(ctx),
                  Layout.field(ctx, name: "currentPassword", label: Strings.currentPassword, type: .password,
                               autocomplete: "current-password", errors: errors),
                  Layout.field(ctx, name: "newPassword", label: Strings.newPassword, type: .password, autocomplete: "new-password",
                               errors: errors, hint: Strings.passwordRule),
                  .button(.type(.submit), .text(ctx.t(Strings.changePassword))))
        ))
    }

    /// The account holder changes their password; this and every other session ends with it.
    func changePassword(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let form = try req.content.decode(PasswordForm.self)
        guard let user = try await UserModel.find(principal.id, on: req.db) else { throw EGovError.unauthorized }
        do {
            try await CredentialService(services: req.egov).change(user, current: form.currentPassword ?? "", new: form.newPassword ?? "",
                                                                   clientAddress: req.clientAddress, on: req.db)
        } catch let error as CredentialService.ChangeError {
            return Self.passwordPage(try await PageContext.make(for: req), errors: [error.fieldError], status: .badRequest)
        }
        req.auth.logout(Principal.self)
        req.session.destroy()
        return req.redirect(to: SiteRoute.login(next: nil).path + "?changed=1")
    }

    func switchLanguage(_ req: Request) async throws -> Response {
        let raw: String? = req.parameters.get("language")
        guard let language = raw.flatMap(EGovCore.Language.init(rawValue:)) else {
            throw EGovError.notFound(LocalizedText(vi: "Ngôn ngữ không được hỗ trợ.", en: "Unsupported language."))
        }
        let response = req.redirect(to: SafeRedirect.path(req.query[String.self, at: "back"]) ?? SiteRoute.home.path)
        response.cookies["lang"] = HTTPCookies.Value(string: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", isHTTPOnly: true,
                                                     sameSite: .lax)
        return response
    }
}
