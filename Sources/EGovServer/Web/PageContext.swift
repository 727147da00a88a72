import EGovCore
import EGovPlatform
import Vapor

/// What every page needs to know about the request it renders for.
struct PageContext {
    let language: Language
    let branding: Branding
    let principal: Principal?
    let csrfToken: String
    let currentPath: String

    static func make(for req: Request) async throws -> PageContext {
        let branding = try await SettingsStore.get(Branding.self, for: .branding, on: req.db) ?? .fallback
        return PageContext(language: req.language, branding: branding, principal: req.auth.get(Principal.self),
                           csrfToken: req.hasSession || req.method == .GET ? req.csrfToken : "", currentPath: req.url.string)
    }

    func t(_ text: LocalizedText) -> String { text.text(language) }
}
