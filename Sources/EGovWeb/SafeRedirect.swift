/// Where a `next` or `back` parameter may send a visitor: a path of this site, nothing else.
///
/// Browsers read `//host`, `/\host` and `/<TAB>/host` as another site, and a CR LF in a `Location`
/// header would start a header of the attacker's choosing. So the target must start with one `/`
/// not followed by `/` or `\`, and consist only of the characters a percent-encoded path and query
/// use; anything else falls back to the caller's default.
public enum SafeRedirect {
    /// Longest accepted target; a longer one is not a link this site made.
    public static let maxLength = 2048

    public static func path(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.utf8.count <= maxLength else { return nil }
        let bytes = Array(raw.utf8)
        guard bytes[0] == UInt8(ascii: "/") else { return nil }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return nil }
        guard bytes.allSatisfy(isAllowed) else { return nil }
        return raw
    }

    /// RFC 3986 unreserved characters, `%` escapes and the delimiters a path and query need.
    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "?"),
             UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ":"),
             UInt8(ascii: "@"), UInt8(ascii: "#"): true
        default: false
        }
    }
}
