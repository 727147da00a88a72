/// A piece of user-facing text in Vietnamese (first) and English.
public struct LocalizedText: Hashable, Codable, Sendable {
    public let vi: String
    public let en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .vi: vi
        case .en: en
        }
    }
}

/// The UI languages. Vietnamese is the default everywhere.
public enum Language: String, Codable, Sendable, CaseIterable {
    case vi, en
}
