import Foundation

/// Accent-insensitive search for Vietnamese: "khai sinh" finds "Đăng ký khai sinh", "dang ky" finds
/// "Đăng ký". Text is folded the same way when stored and when searched.
public enum SearchText {
    /// Lower case, diacritics removed, đ → d, runs of spaces and punctuation to one space.
    public static func fold(_ text: String) -> String {
        let decomposed = text.decomposedStringWithCanonicalMapping.lowercased()
        var result = ""
        var lastWasSpace = true
        for scalar in decomposed.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let mapped: Character = scalar == "đ" || scalar == "Đ" ? "d" : Character(scalar)
            if mapped.isLetter || mapped.isNumber || mapped == "." {
                result.append(mapped)
                lastWasSpace = false
            } else if !lastWasSpace {
                result.append(" ")
                lastWasSpace = true
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// The words of a query, folded; empty words dropped.
    public static func terms(_ query: String) -> [String] {
        fold(query).split(separator: " ").map(String.init)
    }
}
