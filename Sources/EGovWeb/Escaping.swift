/// Plot escapes text nodes but writes attribute values exactly as given, so a `"` in a search term,
/// a unit's name or a `next` parameter would end the attribute and start markup of the visitor's
/// choosing. Every attribute value that is not a literal in our code goes through `Esc.attr`; a test
/// (`AttributeEscapingTests`) reads the page sources and fails on any that does not.
public enum Esc {
    /// The value escaped for a double-quoted HTML attribute: `&`, `<`, `>`, `"` and `'` as entities,
    /// and control characters other than tab, line feed and carriage return dropped.
    public static func attr(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `attr` for an optional value (an absent attribute stays absent).
    @_disfavoredOverload
    public static func attr(_ value: String?) -> String? {
        value.map { attr($0) }
    }
}
