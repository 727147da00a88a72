import EGovCore
import Vapor

extension Request {
    /// The language: the `lang` cookie set by the language switch; else, for the API only, English when
    /// `Accept-Language` starts with `en`; else Vietnamese. Pages stay Vietnamese for a browser set to
    /// English: many Vietnamese citizens' browsers are, and the province's portal speaks Vietnamese first.
    public var language: Language {
        if let cookie = cookies["lang"]?.string, let language = Language(rawValue: cookie) { return language }
        let path = url.path
        if path.hasPrefix("/api/") || path == "/openapi.json" || path == "/metrics",
           let accept = headers.first(name: .acceptLanguage)?.lowercased(), accept.hasPrefix("en") {
            return .en
        }
        return .vi
    }
}
