/// Day of the week, numbered the ISO 8601 way (Monday = 1 … Sunday = 7), which is also how
/// Vietnamese names them relative to Sunday: thứ Hai (2) is Monday, Chủ nhật is Sunday.
public enum Weekday: Int, Codable, Sendable, CaseIterable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday
}

/// A date on the civil (Gregorian) calendar, no time, no zone.
///
/// Deadlines in administrative procedures are counted in whole days of the Vietnamese civil
/// calendar, so the date is kept as a plain value instead of a `Date` instant: it cannot drift
/// with the time zone of the server. Arithmetic goes through the Julian Day Number (JDN), which
/// is also what the lunar-calendar algorithm works in. The calendar is the proleptic Gregorian
/// one (no switch to the Julian calendar before 1582); every date this system handles is modern.
public struct CivilDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// `nil` when the date does not exist (month outside 1…12, 30 February, 29 February of a
    /// common year …).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month),
              day >= 1,
              day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `yyyy-MM-dd` (ten characters, ASCII digits, zero padded, dash separated).
    /// Anything else, including an impossible date such as `2025-02-29`, gives `nil`: dates come
    /// from packs and API clients, and a lenient parser would silently move a holiday.
    public init?(iso: String) {
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else {
            return nil
        }
        self.init(year: year, month: month, day: day)
    }

    /// The day with the given Julian Day Number (JDN 2451545 is 2000-01-01).
    public init(julianDayNumber jdn: Int) {
        // Fliegel & Van Flandern / Richards, with floor division so that it also holds for
        // day numbers before year 0 (never used here, but it keeps the mapping total).
        let a = jdn + 32044
        let b = CalendarArithmetic.floorDiv(4 * a + 3, 146_097)
        let c = a - CalendarArithmetic.floorDiv(146_097 * b, 4)
        let d = CalendarArithmetic.floorDiv(4 * c + 3, 1461)
        let e = c - CalendarArithmetic.floorDiv(1461 * d, 4)
        let m = CalendarArithmetic.floorDiv(5 * e + 2, 153)
        self.day = e - CalendarArithmetic.floorDiv(153 * m + 2, 5) + 1
        self.month = m + 3 - 12 * (m / 10)
        self.year = 100 * b + d - 4800 + m / 10
    }

    /// `yyyy-MM-dd`, the form used in packs, APIs and logs.
    public var description: String {
        let yearText: String
        if year < 0 {
            yearText = "-" + CivilDate.pad(-year, to: 4)
        } else {
            yearText = CivilDate.pad(year, to: 4)
        }
        return yearText + "-" + CivilDate.pad(month, to: 2) + "-" + CivilDate.pad(day, to: 2)
    }

    /// Julian Day Number: consecutive integers for consecutive days, so the difference of two
    /// dates is a plain subtraction.
    public var julianDayNumber: Int {
        CivilDate.julianDayNumber(year: year, month: month, day: day)
    }

    /// The JDN of a (valid) year, month and day, without building a `CivilDate`.
    static func julianDayNumber(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        let leapDays = CalendarArithmetic.floorDiv(y, 4) - CalendarArithmetic.floorDiv(y, 100)
            + CalendarArithmetic.floorDiv(y, 400)
        return day + (153 * m + 2) / 5 + 365 * y + leapDays - 32045
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate {
        CivilDate(julianDayNumber: julianDayNumber + days)
    }

    public var weekday: Weekday {
        // JDN 0 (1 January 4713 BC, Julian) was a Monday, hence the plain modulo.
        Weekday.allCases[CalendarArithmetic.floorMod(julianDayNumber, 7)]
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: Codable — the ISO string, the same form a human writes in a pack's YAML.

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Expected a date as yyyy-MM-dd, got \"\(text)\""
            )
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Helpers

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    static func daysInYear(_ year: Int) -> Int {
        isLeapYear(year) ? 366 : 365
    }

    /// The date in the Vietnamese short form `d/M/yyyy` used in notices ("26/4/2025").
    var vietnameseShortForm: String {
        "\(day)/\(month)/\(year)"
    }

    private static func pad(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Integer helpers for calendar arithmetic, namespaced so they cannot clash with other code in
/// the module.
enum CalendarArithmetic {
    /// Integer division rounding toward minus infinity (Swift's `/` truncates toward zero,
    /// which would put negative day numbers in the wrong day).
    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The non-negative remainder that goes with `floorDiv`.
    @inline(__always)
    static func floorMod(_ a: Int, _ b: Int) -> Int {
        a - floorDiv(a, b) * b
    }
}
