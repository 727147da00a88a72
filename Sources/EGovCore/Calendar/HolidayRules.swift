/// A holiday on a fixed civil (solar) date, e.g. 30 April.
///
/// In a pack's `calendar.yaml` it is written `date: "MM-dd"` (see docs/pack-format.md);
/// `month:` and `day:` keys are accepted too. `fromYear`/`toYear` bound the years in which the
/// holiday exists (both inclusive), for holidays created or abolished by a later law.
public struct FixedHoliday: Codable, Sendable, Hashable {
    public var month: Int
    public var day: Int
    public var name: String
    public var fromYear: Int?
    public var toYear: Int?

    public init(month: Int, day: Int, name: String, fromYear: Int? = nil, toYear: Int? = nil) {
        self.month = month
        self.day = day
        self.name = name
        self.fromYear = fromYear
        self.toYear = toYear
    }

    /// Whether the holiday exists in `year`.
    public func applies(in year: Int) -> Bool {
        if let fromYear, year < fromYear { return false }
        if let toYear, year > toYear { return false }
        return true
    }

    enum CodingKeys: String, CodingKey {
        case date, month, day, name, fromYear, toYear
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        (month, day) = try decodeMonthDay(container, allowingUpTo: { CivilDate.daysInMonth(year: 2000, month: $0) })
        name = try container.decode(String.self, forKey: .name)
        fromYear = try container.decodeIfPresent(Int.self, forKey: .fromYear)
        toYear = try container.decodeIfPresent(Int.self, forKey: .toYear)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(monthDayText(month, day), forKey: .date)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(fromYear, forKey: .fromYear)
        try container.encodeIfPresent(toYear, forKey: .toYear)
    }
}

/// A holiday on a fixed day of the lunar calendar, e.g. 10th day of the 3rd month.
/// Written `date: "MM-dd"` (lunar) or with `month:`/`day:` keys, like `FixedHoliday`.
/// A lunar day that does not exist in some year (day 30 of a 29-day month) gives no holiday
/// that year.
public struct LunarHoliday: Codable, Sendable, Hashable {
    public var month: Int
    public var day: Int
    public var name: String

    public init(month: Int, day: Int, name: String) {
        self.month = month
        self.day = day
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case date, month, day, name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        (month, day) = try decodeMonthDay(container, allowingUpTo: { _ in 30 })
        name = try container.decode(String.self, forKey: .name)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(monthDayText(month, day), forKey: .date)
        try container.encode(name, forKey: .name)
    }
}

/// One decision of a year's notice (the Prime Minister's decision relayed by the Ministry of
/// Home Affairs, or a locality's own): a day off that would otherwise be worked, or a working
/// day that would otherwise be off (a Saturday worked to make up for a bridged weekday).
/// Adjustments override every rule.
public struct CalendarAdjustment: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case dayOff
        case workingDay
    }

    public var date: CivilDate
    public var kind: Kind
    public var name: String?

    public init(date: CivilDate, kind: Kind, name: String? = nil) {
        self.date = date
        self.kind = kind
        self.name = name
    }
}

/// A named day off on a given date.
public struct Holiday: Hashable, Sendable, Codable {
    public let date: CivilDate
    public let name: String

    public init(date: CivilDate, name: String) {
        self.date = date
        self.name = name
    }
}

/// The rules that make days off, before any year's notice.
public struct HolidayRules: Codable, Sendable, Equatable {
    public var fixedHolidays: [FixedHoliday]
    public var lunarHolidays: [LunarHoliday]
    /// Days off before lunar new year's day (default 1: the last day of the lunar year).
    public var tetDaysBefore: Int
    /// Days off counted from lunar new year's day inclusive (default 4), so 5 days in all, the
    /// number set by the Labour Code 2019, art. 112(1)(b).
    public var tetDaysFromNewYear: Int
    /// Labour Code 2019, art. 111(3): when a weekly day off coincides with a holiday of
    /// art. 112(1), the employee takes the day off on the next working day. (Art. 112(3) is the
    /// Prime Minister fixing the Tết and National Day dates each year.) Applied here to every
    /// holiday of these rules, the pack's extra fixed holidays included; see
    /// `WorkingDayCalendar` for the exact placement.
    public var compensateWeekendHolidays: Bool
    /// The weekly days off. Saturday and Sunday for civil servants (the 40-hour week of state
    /// agencies, Decision 188/1999/QĐ-TTg).
    public var weekend: [Weekday]
    /// Labour Code 2019, art. 112(1)(đ): National Day is 2 September "and one adjacent day
    /// before or after". When true (the default) and 2 September is one of the year's fixed
    /// holidays, the adjacent day is chosen as the one of 1 and 3 September that gives the
    /// longer unbroken run of days off together with the weekend (and other holidays); on a
    /// tie (2 September on a Wednesday with a Saturday–Sunday weekend) 1 September, the law
    /// naming "before" first. The real day is the Prime Minister's choice (art. 112(3)) and a
    /// pack adjustment overrides this default.
    public var nationalDayAdjacentDay: Bool

    public init(
        fixedHolidays: [FixedHoliday],
        lunarHolidays: [LunarHoliday],
        tetDaysBefore: Int = 1,
        tetDaysFromNewYear: Int = 4,
        compensateWeekendHolidays: Bool = true,
        weekend: [Weekday] = [.saturday, .sunday],
        nationalDayAdjacentDay: Bool = true
    ) {
        self.fixedHolidays = fixedHolidays
        self.lunarHolidays = lunarHolidays
        self.tetDaysBefore = tetDaysBefore
        self.tetDaysFromNewYear = tetDaysFromNewYear
        self.compensateWeekendHolidays = compensateWeekendHolidays
        self.weekend = weekend
        self.nationalDayAdjacentDay = nationalDayAdjacentDay
    }

    /// Labour Code 2019 (Law 45/2019/QH14), art. 112(1), in force since 1 January 2021:
    /// 1 January (Tết Dương lịch); 5 days of Tết Âm lịch; 30 April (Ngày Chiến thắng);
    /// 1 May (Ngày Quốc tế lao động); 2 September plus one adjacent day (Quốc khánh);
    /// 10th day of the 3rd lunar month (Giỗ Tổ Hùng Vương). Saturday–Sunday weekend of the
    /// civil service, weekend compensation per art. 111(3).
    ///
    /// Does not include 24 November (Ngày Văn hóa Việt Nam, reported as NQ 28/2026/QH16): it
    /// comes from the locality pack's `fixedHolidays`, so that the built-in rules stay exactly
    /// the Labour Code's.
    public static let labourCode2019 = HolidayRules(
        fixedHolidays: [
            FixedHoliday(month: 1, day: 1, name: "Tết Dương lịch"),
            FixedHoliday(month: 4, day: 30, name: "Ngày Chiến thắng"),
            FixedHoliday(month: 5, day: 1, name: "Ngày Quốc tế lao động"),
            FixedHoliday(month: 9, day: 2, name: "Quốc khánh"),
        ],
        lunarHolidays: [
            LunarHoliday(month: 3, day: 10, name: "Giỗ Tổ Hùng Vương"),
        ],
        tetDaysBefore: 1,
        tetDaysFromNewYear: 4,
        compensateWeekendHolidays: true,
        weekend: [.saturday, .sunday],
        nationalDayAdjacentDay: true
    )

    enum CodingKeys: String, CodingKey {
        case fixedHolidays, lunarHolidays, tetDaysBefore, tetDaysFromNewYear
        case compensateWeekendHolidays, weekend, nationalDayAdjacentDay
    }

    /// Missing keys take the Labour Code 2019 values, so a configuration only states what it
    /// changes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let base = HolidayRules.labourCode2019
        fixedHolidays = try container.decodeIfPresent([FixedHoliday].self, forKey: .fixedHolidays)
            ?? base.fixedHolidays
        lunarHolidays = try container.decodeIfPresent([LunarHoliday].self, forKey: .lunarHolidays)
            ?? base.lunarHolidays
        tetDaysBefore = try container.decodeIfPresent(Int.self, forKey: .tetDaysBefore) ?? base.tetDaysBefore
        tetDaysFromNewYear = try container.decodeIfPresent(Int.self, forKey: .tetDaysFromNewYear)
            ?? base.tetDaysFromNewYear
        compensateWeekendHolidays = try container.decodeIfPresent(Bool.self, forKey: .compensateWeekendHolidays)
            ?? base.compensateWeekendHolidays
        weekend = try container.decodeIfPresent([Weekday].self, forKey: .weekend) ?? base.weekend
        nationalDayAdjacentDay = try container.decodeIfPresent(Bool.self, forKey: .nationalDayAdjacentDay)
            ?? base.nationalDayAdjacentDay
        guard tetDaysBefore >= 0, tetDaysFromNewYear >= 0, tetDaysBefore + tetDaysFromNewYear <= 30 else {
            throw DecodingError.dataCorruptedError(
                forKey: .tetDaysFromNewYear,
                in: container,
                debugDescription: "Tết days must be non-negative and at most 30 in all"
            )
        }
        guard Set(weekend).count < Weekday.allCases.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .weekend,
                in: container,
                debugDescription: "A weekend of every day of the week leaves no working day"
            )
        }
    }
}

// MARK: - Evaluating the rules for a year

extension HolidayRules {
    /// The days off the rules give in civil year `year`, before compensation and adjustments:
    /// date → names (two holidays can share a date). `extra` are the pack's fixed holidays.
    func statutoryHolidays(inCivilYear year: Int, extra: [FixedHoliday]) -> [CivilDate: [String]] {
        var result: [CivilDate: [String]] = [:]
        func add(_ date: CivilDate, _ name: String) {
            guard date.year == year else { return }
            if !(result[date]?.contains(name) ?? false) {
                result[date, default: []].append(name)
            }
        }

        let fixed = (fixedHolidays + extra).filter { $0.applies(in: year) }
        for holiday in fixed {
            // 29 February in a common year simply does not occur.
            if let date = CivilDate(year: year, month: holiday.month, day: holiday.day) {
                add(date, holiday.name)
            }
        }

        // A lunar date of lunar year L falls in civil year L or, for the last months, L + 1.
        for lunarYear in [year - 1, year] {
            for holiday in lunarHolidays {
                if let date = VietnameseLunarCalendar.solarDate(
                    for: LunarDate(year: lunarYear, month: holiday.month, day: holiday.day)
                ) {
                    add(date, holiday.name)
                }
            }
        }

        // Tết Âm lịch (art. 112(1)(b)): the days around new year's day. Each day is named by its
        // lunar date, which is how notices and people refer to them ("30 Tết", "mùng 4").
        // (Negative counts, possible when the rules are built in code, count as zero.)
        let daysBefore = max(0, tetDaysBefore)
        let daysFrom = max(0, tetDaysFromNewYear)
        for lunarYear in [year, year + 1] where daysBefore + daysFrom > 0 {
            let newYear = VietnameseLunarCalendar.newYear(lunarYear)
            for offset in -daysBefore..<daysFrom {
                let date = newYear.adding(days: offset)
                guard date.year == year else { continue }
                let lunar = VietnameseLunarCalendar.lunarDate(for: date)
                add(date, "Tết Nguyên đán (\(VietnameseLunarCalendar.vietnameseName(of: lunar)))")
            }
        }

        if nationalDayAdjacentDay,
           fixed.contains(where: { $0.month == 9 && $0.day == 2 }),
           let nationalDay = CivilDate(year: year, month: 9, day: 2) {
            let adjacent = adjacentNationalDay(nationalDay, otherDaysOff: Set(result.keys))
            add(adjacent, "Quốc khánh (ngày liền kề)")
        }
        return result
    }

    /// 1 or 3 September, whichever makes the longer run of consecutive days off containing
    /// 2 September (weekend and other holidays counted, compensation days not); 1 September
    /// on a tie. See `nationalDayAdjacentDay`.
    private func adjacentNationalDay(_ nationalDay: CivilDate, otherDaysOff: Set<CivilDate>) -> CivilDate {
        let weekendDays = Set(weekend)
        func runLength(withExtraDayOff extra: CivilDate) -> Int {
            func isOff(_ date: CivilDate) -> Bool {
                date == extra || date == nationalDay || otherDaysOff.contains(date)
                    || weekendDays.contains(date.weekday)
            }
            var length = 1
            var day = nationalDay.adding(days: -1)
            while isOff(day) && length < 60 {
                length += 1
                day = day.adding(days: -1)
            }
            day = nationalDay.adding(days: 1)
            while isOff(day) && length < 60 {
                length += 1
                day = day.adding(days: 1)
            }
            return length
        }
        let before = nationalDay.adding(days: -1)
        let after = nationalDay.adding(days: 1)
        return runLength(withExtraDayOff: after) > runLength(withExtraDayOff: before) ? after : before
    }
}

// MARK: - "MM-dd" coding shared by fixed and lunar holidays

private func monthDayText(_ month: Int, _ day: Int) -> String {
    (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
}

/// Reads `date: "MM-dd"` or `month:` + `day:`; rejects impossible values so that a typo in a
/// pack is reported at load time, not discovered as a missing holiday.
private func decodeMonthDay<Key: CodingKey>(
    _ container: KeyedDecodingContainer<Key>,
    allowingUpTo maxDay: (Int) -> Int
) throws -> (month: Int, day: Int) {
    guard let dateKey = Key(stringValue: "date"),
          let monthKey = Key(stringValue: "month"),
          let dayKey = Key(stringValue: "day")
    else {
        throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "No date keys"))
    }
    let month: Int
    let day: Int
    let errorKey: Key
    if let text = try container.decodeIfPresent(String.self, forKey: dateKey) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let parsedMonth = Int(parts[0]), let parsedDay = Int(parts[1])
        else {
            throw DecodingError.dataCorruptedError(
                forKey: dateKey,
                in: container,
                debugDescription: "Expected \"MM-dd\", got \"\(text)\""
            )
        }
        (month, day, errorKey) = (parsedMonth, parsedDay, dateKey)
    } else {
        month = try container.decode(Int.self, forKey: monthKey)
        day = try container.decode(Int.self, forKey: dayKey)
        errorKey = dayKey
    }
    guard (1...12).contains(month), day >= 1, day <= maxDay(month) else {
        throw DecodingError.dataCorruptedError(
            forKey: errorKey,
            in: container,
            debugDescription: "No such day: month \(month), day \(day)"
        )
    }
    return (month, day)
}
