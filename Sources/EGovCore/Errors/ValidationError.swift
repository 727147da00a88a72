/// A rule that input broke, with the field it concerns and a message a person can act on.
public struct ValidationError: Error, Hashable, Sendable {
    public let field: String
    public let message: LocalizedText

    public init(field: String, message: LocalizedText) {
        self.field = field
        self.message = message
    }

    public init(field: String, vi: String, en: String) {
        self.init(field: field, message: LocalizedText(vi: vi, en: en))
    }
}
