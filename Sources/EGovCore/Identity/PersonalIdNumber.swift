/// Số định danh cá nhân (the 12-digit number on the chip ID card, CCCD), Circular 59/2021/TT-BCA:
/// 3 digits of the province of birth registration, 1 digit for century and sex, 2 digits of the
/// birth year, 6 random digits.
public struct PersonalIdNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let birthYear: Int
    public let isFemale: Bool

    /// Province codes in use before the 2025 mergers (001 Hà Nội … 096 Cà Mau). Numbers already
    /// issued keep them, so the old list is the one to check against.
    public static let provinceCodes: Set<Int> = [
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
        40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79,
        80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    ]

    /// - Parameter currentYear: the year now, so that a birth year in the future is refused.
    public init(_ raw: String, currentYear: Int) throws(ValidationError) {
        let digits = raw.trimmingSpaces
        guard digits.count == 12, digits.allSatisfy(\.isASCIIDigit) else {
            throw Self.invalid(vi: "Số định danh cá nhân phải gồm đúng 12 chữ số.", en: "The personal identification number must be exactly 12 digits.")
        }
        let numbers = digits.compactMap(\.wholeNumberValue)
        let province = numbers[0] * 100 + numbers[1] * 10 + numbers[2]
        guard Self.provinceCodes.contains(province) else {
            throw Self.invalid(
                vi: "Ba chữ số đầu (\(String(digits.prefix(3)))) không phải mã tỉnh nơi đăng ký khai sinh.",
                en: "The first three digits (\(String(digits.prefix(3)))) are not a province code.")
        }
        // Century/sex digit: 0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, …
        let centuryDigit = numbers[3]
        let century = 1900 + (centuryDigit / 2) * 100
        let year = century + numbers[4] * 10 + numbers[5]
        guard year <= currentYear, year >= 1900 else {
            throw Self.invalid(
                vi: "Chữ số thế kỷ và năm sinh (\(String(digits.dropFirst(3).prefix(3)))) cho năm sinh \(year), không hợp lệ.",
                en: "The century and birth-year digits give birth year \(year), which is not valid.")
        }
        self.value = digits
        self.birthYear = year
        self.isFemale = centuryDigit % 2 == 1
    }

    private static func invalid(vi: String, en: String) -> ValidationError {
        ValidationError(field: "idNumber", vi: vi, en: en)
    }

    public var description: String { value }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars = scalars.dropFirst() }
        while scalars.last?.isWhitespace == true { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
