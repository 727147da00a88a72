/// Checks for the contact details people type in forms.
public enum ContactDetails {
    /// A Vietnamese mobile or landline number: 10 digits starting with 0, or +84 followed by 9 digits.
    /// Spaces, dots and dashes are allowed and dropped.
    public static func normalizedPhone(_ raw: String) throws(ValidationError) -> String {
        var digits = raw.filter { !" .-".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        guard digits.count == 10, digits.hasPrefix("0"), digits.allSatisfy(\.isASCIIDigit) else {
            throw ValidationError(field: "phone",
                                  vi: "Số điện thoại “\(raw)” không hợp lệ: cần 10 chữ số, bắt đầu bằng 0.",
                                  en: "Phone number “\(raw)” is not valid: 10 digits starting with 0 are expected.")
        }
        return digits
    }

    /// A plausible e-mail address, lower-cased. Deliverability is proven by mail, not by a regex.
    public static func normalizedEmail(_ raw: String) throws(ValidationError) -> String {
        let email = raw.trimmingSpaces.lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else {
            throw ValidationError(field: "email",
                                  vi: "Địa chỉ thư điện tử “\(raw)” không hợp lệ.",
                                  en: "E-mail address “\(raw)” is not valid.")
        }
        return email
    }

    /// Passwords: at least 8 characters with a letter and a digit.
    public static func checkPassword(_ password: String) throws(ValidationError) {
        guard password.count >= 8, password.utf8.count <= 256, password.contains(where: \.isLetter), password.contains(where: \.isNumber) else {
            throw ValidationError(field: "password",
                                  vi: "Mật khẩu cần từ 8 đến 256 ký tự, gồm cả chữ và số.",
                                  en: "The password needs 8 to 256 characters, with letters and digits.")
        }
    }

    /// Officer usernames: 3–64 characters of lower-case ASCII letters, digits, dots, dashes, underscores.
    public static func checkUsername(_ username: String) throws(ValidationError) {
        let allowed = username.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "._-".contains($0) }
        guard (3...64).contains(username.count), allowed else {
            throw ValidationError(field: "username",
                                  vi: "Tên đăng nhập “\(username)” cần 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang.",
                                  en: "Username “\(username)” needs 3–64 characters: lower-case ASCII letters, digits, dots, dashes.")
        }
    }
}
