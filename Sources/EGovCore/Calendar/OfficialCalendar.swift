/// One day of a year that differs from the plain week: a weekday not worked, or a weekend day worked.
public struct CalendarDay: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// A statutory holiday itself (1/1, the Tết days, Giỗ Tổ, 30/4, 1/5, Quốc khánh …).
        case holiday
        /// Any other weekday off: compensation for a holiday on a weekend, a bridged day.
        case dayOff
        /// A weekend day that is worked (làm bù).
        case workingDay
    }

    public var date: CivilDate
    public var kind: Kind
    public var name: String

    public init(date: CivilDate, kind: Kind, name: String) {
        self.date = date
        self.kind = kind
        self.name = name
    }
}

/// A year as the Prime Minister's notices decided it: every day that differs from the plain week.
/// For such a year the notices are the authority and `HolidayRules` are not consulted.
public struct OfficialYear: Codable, Sendable, Hashable {
    public var year: Int
    public var sources: [String]
    public var days: [CalendarDay]

    public init(year: Int, sources: [String] = [], days: [CalendarDay]) {
        self.year = year
        self.sources = sources
        self.days = days
    }
}
