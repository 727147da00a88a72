import EGovCore
import Vapor

extension Request {
    /// The UI language: the `lang` cookie set by the language switch, else Accept-Language, else Vietnamese.
    public var language: Language {
        if let cookie = cookies["lang"]?.string, let language = Language(rawValue: cookie) { return language }
        if let accept = headers.first(name: .acceptLanguage)?.lowercased(), accept.hasPrefix("en") { return .en }
        return .vi
    }
}
