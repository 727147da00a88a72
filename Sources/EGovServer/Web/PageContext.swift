import EGovCore
import EGovPlatform
import Vapor

/// What every page needs to know about the request it renders for.
struct PageContext {
    let language: Language
    let branding: Branding
    let principal: Principal?
    let currentPath: String
    /// Nil for pages rendered outside the web routes (error pages of unknown paths), which have no session.
    let request: Request?

    static func make(for req: Request) async throws -> PageContext {
        let branding = try await SettingsStore.get(Branding.self, for: .branding, on: req.db) ?? .fallback
        return PageContext(language: req.language, branding: branding, principal: req.auth.get(Principal.self),
                           currentPath: req.url.string, request: req)
    }

    /// The form token, made (with its session) only when a page actually shows a form, so anonymous
    /// page views and bots do not each leave a session row behind.
    var csrfToken: String {
        guard let request, request.sessionsEnabled else { return "" }
        return request.csrfToken
    }

    func t(_ text: LocalizedText) -> String { text.text(language) }
}
