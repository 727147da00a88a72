import Foundation

/// Working days and working time in Vietnam, for deadline (hạn xử lý) arithmetic.
///
/// The time limits of administrative procedures are mostly stated in working days (ngày làm
/// việc): days that are neither a weekly day off nor a public holiday, and the one-stop-shop
/// rules (Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP) track dossiers against them.
/// Which day is off is decided by three layers, the later overriding the earlier:
///
/// 1. for a year the national notices decided (`OfficialYear`, shipped by the platform), exactly
///    the notices' days; for any other year `HolidayRules` — the Labour Code 2019 holidays, Tết
///    computed from the lunar calendar, the adjacent day of National Day, and the compensation
///    days of art. 111(3);
/// 2. the pack's extra fixed holidays (e.g. 24 November from 2026), evaluated with the rules;
/// 3. the pack's `CalendarAdjustment`s — each year's notice, which is the authority (the Prime
///    Minister fixes the Tết and National Day days each year, art. 112(3), and swaps days).
///
/// **Compensation rule** (art. 111(3): a holiday on a weekly day off is taken "on the next
/// working day"): the rule-based holidays of the year and its neighbours are taken in date
/// order; each date that is both a holiday and a weekly day off gives one compensation day on
/// the first later date that is neither a weekly day off, nor a holiday, nor an earlier
/// compensation day — hence after the whole run of consecutive days off (a Tết period ending on
/// a Saturday is compensated on the Monday after it; two holidays on one weekend give Monday and
/// Tuesday). Adjustments are not consulted while placing compensation days: they are applied on
/// top, per date. A pack that encodes a notice moving days must therefore also mark as
/// `workingDay` any computed day the notice does not grant, and a notice's own "nghỉ bù" on the
/// same Monday coincides with the computed one instead of adding a second day.
///
/// Year tables are computed on first use and cached (shared by copies of the value), so
/// `isWorkingDay` is an array lookup under a lock.
public struct WorkingDayCalendar: Sendable {
    /// Vietnam's time, a fixed UTC+7 (Asia/Ho_Chi_Minh has had no daylight saving time since
    /// 1975). A fixed offset rather than the zone database: the zone's pre-1975 history (+8)
    /// must not leak into dates of this system.
    public static let vietnamTimeZone: TimeZone = TimeZone(secondsFromGMT: utcOffsetSeconds) ?? .gmt

    static let utcOffsetSeconds = 7 * 3600
    static let secondsPerDay: TimeInterval = 86_400
    /// JDN of 1970-01-01, to go between `Date` and `CivilDate` without a Foundation calendar.
    private static let unixEpochJulianDay = 2_440_588
    /// How far the searches go before giving up on calendars without working days (possible
    /// only with degenerate rules, e.g. a seven-day weekend built in code).
    private static let searchLimitDays = 3660

    public let rules: HolidayRules
    public let adjustments: [CalendarAdjustment]
    public let extraFixedHolidays: [FixedHoliday]
    /// The years the national notices decided (`OfficialYear`), by year.
    public let official: [Int: OfficialYear]

    private let adjustmentsByDate: [CivilDate: CalendarAdjustment]
    private let cache = YearTableCache()

    /// - Parameters:
    ///   - adjustments: per-date decisions; when a date is listed twice, the last one wins.
    ///   - extra: fixed holidays added by later law, from the pack (e.g. 24 November).
    ///   - official: the years the national notices decided; for these the rules are not used,
    ///     and the pack's extra holidays and adjustments apply on top as local deviations.
    public init(
        rules: HolidayRules = .labourCode2019,
        official: [OfficialYear] = [],
        adjustments: [CalendarAdjustment] = [],
        fixedHolidays extra: [FixedHoliday] = []
    ) {
        self.rules = rules
        self.official = Dictionary(official.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        self.adjustments = adjustments
        self.extraFixedHolidays = extra
        var byDate: [CivilDate: CalendarAdjustment] = [:]
        for adjustment in adjustments {
            byDate[adjustment.date] = adjustment
        }
        self.adjustmentsByDate = byDate
    }

    // MARK: - Days

    /// The days off of civil year `year` other than ordinary weekly days off, sorted by date:
    /// the holidays of the rules (including those on a weekend; for a year of the national notices, the
    /// notices' weekday days off and the pack's own holidays), the compensation days
    /// ("Nghỉ bù …") and the adjustments' days off; without the days an adjustment makes
    /// working. Two holidays on one date are one entry, names joined by "; ".
    public func holidays(in year: Int) -> [Holiday] {
        table(forYear: year).holidays
    }

    /// Whether `date` is a working day. An adjustment decides alone (a `workingDay` adjustment
    /// makes even a Saturday a working day); otherwise a day is working unless it is a weekly
    /// day off, a holiday or a compensation day.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        let table = table(forYear: date.year)
        return table.working[date.julianDayNumber - table.firstDay]
    }

    /// The days of `year` that differ from the plain week, sorted: every weekday that is not worked
    /// (`holiday` for a statutory holiday itself, `dayOff` otherwise) and every weekend day that is.
    public func exceptions(in year: Int) -> [CalendarDay] {
        let table = table(forYear: year)
        let weekendDays = Set(rules.weekend)
        var result: [CalendarDay] = []
        for index in 0..<table.working.count {
            let date = CivilDate(julianDayNumber: table.firstDay + index)
            let weekend = weekendDays.contains(date.weekday)
            if weekend, table.working[index] {
                result.append(CalendarDay(date: date, kind: .workingDay, name: table.workingNames[date] ?? "Ngày làm việc"))
            } else if !weekend, !table.working[index] {
                result.append(CalendarDay(date: date, kind: table.statutory.contains(date) ? .holiday : .dayOff,
                                          name: table.names[index] ?? "Ngày nghỉ"))
            }
        }
        return result
    }

    /// The name of the holiday on `date`, `nil` on working days and plain weekends.
    public func holidayName(on date: CivilDate) -> String? {
        let table = table(forYear: date.year)
        return table.names[date.julianDayNumber - table.firstDay]
    }

    /// The first working day strictly after `date`. (If a degenerate calendar has none within
    /// ten years, the day after `date`.)
    public func nextWorkingDay(after date: CivilDate) -> CivilDate {
        var lookup = DayLookup(calendar: self)
        var jdn = date.julianDayNumber + 1
        for _ in 0..<Self.searchLimitDays {
            if lookup.isWorking(jdn) {
                return CivilDate(julianDayNumber: jdn)
            }
            jdn += 1
        }
        return date.adding(days: 1)
    }

    /// Number of working days in the closed range `from…through` (0 when `through < from`).
    public func workingDays(from: CivilDate, through: CivilDate) -> Int {
        guard from <= through else { return 0 }
        let first = from.julianDayNumber
        let last = through.julianDayNumber
        var count = 0
        for year in from.year...through.year {
            let table = table(forYear: year)
            let lower = max(first, table.firstDay) - table.firstDay
            let upper = min(last, table.firstDay + table.working.count - 1) - table.firstDay
            count += table.workingBefore[upper + 1] - table.workingBefore[lower]
        }
        return count
    }

    // MARK: - Instants

    /// The civil date in Vietnam at `instant`.
    public func civilDate(of instant: Date) -> CivilDate {
        CivilDate(julianDayNumber: Self.localPosition(of: instant).julianDay)
    }

    /// 00:00 Vietnam time of `date`, as an instant.
    public func startOfDay(_ date: CivilDate) -> Date {
        Self.instant(julianDay: date.julianDayNumber, secondsIntoDay: 0)
    }

    /// Deadline arithmetic in whole working days.
    ///
    /// Time on non-working days does not count. An instant on a non-working day (or on a
    /// working day at or after `cutoffHour` o'clock local time, when given: a dossier received
    /// after the counter closes counts from the next working day) is first moved to 00:00 of
    /// the next working day; then n × 24 hours of working time are added, which keeps the time
    /// of day. When the (moved) time is 00:00, the result is the end of the n-th working day,
    /// written as 00:00 of the calendar day after it — the earliest instant at which the time
    /// has run out, so a dossier is late as soon as that working day ends:
    /// Monday 10:00 + 3 → Thursday 10:00; Friday 16:00 + 1 → Monday 16:00;
    /// Saturday 09:00 + 1 → Tuesday 00:00 (= end of Monday).
    ///
    /// `n == 0` gives the moved instant; a negative `n` goes back n × 24 hours of working time
    /// from `instant` itself (no moving).
    public func addingWorkingDays(_ n: Int, to instant: Date, cutoffHour: Int? = nil) -> Date {
        guard n >= 0 else {
            return addingWorkingTime(TimeInterval(n) * Self.secondsPerDay, to: instant)
        }
        let position = Self.localPosition(of: instant)
        var start = instant
        let afterCutoff = cutoffHour.map { position.secondsIntoDay >= TimeInterval($0) * 3600 } ?? false
        let date = CivilDate(julianDayNumber: position.julianDay)
        if !isWorkingDay(date) || afterCutoff {
            start = startOfDay(nextWorkingDay(after: date))
        }
        return addingWorkingTime(TimeInterval(n) * Self.secondsPerDay, to: start)
    }

    /// Working time between two instants: only the time that falls on working days (whole
    /// local days, 00:00–24:00) counts. Negative when `to` is before `from`.
    public func workingSeconds(from: Date, to: Date) -> TimeInterval {
        if to < from {
            return -workingSeconds(from: to, to: from)
        }
        let start = Self.localPosition(of: from)
        let end = Self.localPosition(of: to)
        var lookup = DayLookup(calendar: self)
        if start.julianDay == end.julianDay {
            return lookup.isWorking(start.julianDay) ? end.secondsIntoDay - start.secondsIntoDay : 0
        }
        var total: TimeInterval = 0
        if lookup.isWorking(start.julianDay) {
            total += Self.secondsPerDay - start.secondsIntoDay
        }
        if end.julianDay - start.julianDay > 1 {
            let days = workingDays(
                from: CivilDate(julianDayNumber: start.julianDay + 1),
                through: CivilDate(julianDayNumber: end.julianDay - 1)
            )
            total += TimeInterval(days) * Self.secondsPerDay
        }
        if lookup.isWorking(end.julianDay) {
            total += end.secondsIntoDay
        }
        return total
    }

    /// The inverse of `workingSeconds`: the earliest instant at which `seconds` of working time
    /// have passed since `instant` (for negative `seconds`, the latest instant that much working
    /// time before it). This is what makes a paused deadline resumable: the remaining working
    /// time at the pause, added from the resume instant, gives the new deadline.
    public func addingWorkingTime(_ seconds: TimeInterval, to instant: Date) -> Date {
        if seconds == 0 {
            return instant
        }
        var position = Self.localPosition(of: instant)
        var lookup = DayLookup(calendar: self)
        var daysWithoutWork = 0
        if seconds > 0 {
            var remaining = seconds
            while daysWithoutWork < Self.searchLimitDays {
                if lookup.isWorking(position.julianDay) {
                    daysWithoutWork = 0
                    let available = Self.secondsPerDay - position.secondsIntoDay
                    if remaining <= available {
                        return Self.instant(
                            julianDay: position.julianDay,
                            secondsIntoDay: position.secondsIntoDay + remaining
                        )
                    }
                    remaining -= available
                } else {
                    daysWithoutWork += 1
                }
                position = (position.julianDay + 1, 0)
            }
        } else {
            var remaining = -seconds
            while daysWithoutWork < Self.searchLimitDays {
                if lookup.isWorking(position.julianDay) {
                    daysWithoutWork = 0
                    let available = position.secondsIntoDay
                    if remaining <= available {
                        return Self.instant(
                            julianDay: position.julianDay,
                            secondsIntoDay: position.secondsIntoDay - remaining
                        )
                    }
                    remaining -= available
                } else {
                    daysWithoutWork += 1
                }
                position = (position.julianDay - 1, Self.secondsPerDay)
            }
        }
        // Degenerate calendar with no working day in ten years: stop where the search stopped.
        return Self.instant(julianDay: position.julianDay, secondsIntoDay: position.secondsIntoDay)
    }

    /// Whole working days between two instants: `workingSeconds / 86 400`, truncated toward
    /// zero (so 1.9 working days is 1, −1.9 is −1).
    public func workingDays(from: Date, to: Date) -> Int {
        Int((workingSeconds(from: from, to: to) / Self.secondsPerDay).rounded(.towardZero))
    }

    // MARK: - Time arithmetic without a Foundation calendar (UTC+7 is fixed)

    private static func localPosition(of instant: Date) -> (julianDay: Int, secondsIntoDay: TimeInterval) {
        let local = instant.timeIntervalSince1970 + TimeInterval(utcOffsetSeconds)
        var days = (local / secondsPerDay).rounded(.down)
        var seconds = local - days * secondsPerDay
        // The division can round up to a whole day for an instant a hair before midnight.
        if seconds < 0 {
            days -= 1
            seconds += secondsPerDay
        }
        return (Int(days) + unixEpochJulianDay, seconds)
    }

    private static func instant(julianDay: Int, secondsIntoDay: TimeInterval) -> Date {
        Date(
            timeIntervalSince1970: TimeInterval(julianDay - unixEpochJulianDay) * secondsPerDay
                - TimeInterval(utcOffsetSeconds) + secondsIntoDay
        )
    }

    // MARK: - Year tables

    fileprivate func table(forYear year: Int) -> YearTable {
        cache.table(forYear: year) { buildTable(forYear: $0) }
    }

    private func buildTable(forYear year: Int) -> YearTable {
        let weekendDays = Set(rules.weekend)
        var names: [CivilDate: String] = [:]
        var statutory: Set<CivilDate> = []
        var workingOverride: Set<CivilDate> = []
        var workingNames: [CivilDate: String] = [:]
        if let decided = official[year] {
            // The notices decided this year: their days, then the pack's own holidays, one on a weekend
            // compensated on the next day that is neither weekend nor already off (art. 111(3)).
            for day in decided.days where day.date.year == year {
                switch day.kind {
                case .holiday, .dayOff:
                    names[day.date] = day.name
                    if day.kind == .holiday { statutory.insert(day.date) }
                case .workingDay:
                    workingOverride.insert(day.date)
                    workingNames[day.date] = day.name
                }
            }
            for holiday in extraFixedHolidays where holiday.applies(in: year) {
                guard let date = CivilDate(year: year, month: holiday.month, day: holiday.day), names[date] == nil else { continue }
                names[date] = holiday.name
                statutory.insert(date)
                guard weekendDays.contains(date.weekday), rules.compensateWeekendHolidays else { continue }
                var day = date.adding(days: 1)
                for _ in 0..<60 where weekendDays.contains(day.weekday) || names[day] != nil { day = day.adding(days: 1) }
                if day.year == year, names[day] == nil, !weekendDays.contains(day.weekday) {
                    names[day] = "Nghỉ bù \(holiday.name) trùng \(Self.vietnameseWeekdayName(date.weekday)) " + date.vietnameseShortForm
                }
            }
        } else {
            ruleDays(forYear: year, weekendDays: weekendDays, names: &names, statutory: &statutory)
        }

        // The year's notice wins.
        for (date, adjustment) in adjustmentsByDate where date.year == year {
            switch adjustment.kind {
            case .dayOff:
                names[date] = adjustment.name ?? names[date] ?? "Ngày nghỉ theo thông báo"
                workingOverride.remove(date)
            case .workingDay:
                names[date] = nil
                workingOverride.insert(date)
                workingNames[date] = adjustment.name
            }
        }

        let firstDay = CivilDate.julianDayNumber(year: year, month: 1, day: 1)
        let dayCount = CivilDate.daysInYear(year)
        var working = [Bool](repeating: false, count: dayCount)
        var dayNames = [String?](repeating: nil, count: dayCount)
        var workingBefore = [Int](repeating: 0, count: dayCount + 1)
        for index in 0..<dayCount {
            let date = CivilDate(julianDayNumber: firstDay + index)
            let name = names[date]
            dayNames[index] = name
            working[index] = workingOverride.contains(date)
                || (name == nil && !weekendDays.contains(date.weekday))
            workingBefore[index + 1] = workingBefore[index] + (working[index] ? 1 : 0)
        }
        let holidays = names
            .map { Holiday(date: $0.key, name: $0.value) }
            .sorted { $0.date < $1.date }
        return YearTable(
            firstDay: firstDay,
            working: working,
            workingBefore: workingBefore,
            names: dayNames,
            holidays: holidays,
            statutory: statutory,
            workingNames: workingNames
        )
    }

    /// The days off `HolidayRules` give in `year` (holidays and compensation days), for a year no
    /// notice in `official` decided.
    private func ruleDays(forYear year: Int, weekendDays: Set<Weekday>, names: inout [CivilDate: String],
                          statutory: inout Set<CivilDate>) {
        // Rule holidays of the neighbouring years too: a compensation day can cross New Year,
        // and must skip the next year's holidays.
        var holidayNames: [CivilDate: [String]] = [:]
        for civilYear in (year - 1)...(year + 1) {
            holidayNames.merge(
                rules.statutoryHolidays(inCivilYear: civilYear, extra: extraFixedHolidays),
                uniquingKeysWith: { first, _ in first }
            )
        }

        for (date, dateNames) in holidayNames where date.year == year {
            names[date] = dateNames.joined(separator: "; ")
            statutory.insert(date)
        }

        // Art. 111(3) compensation, placed as documented on the type.
        if rules.compensateWeekendHolidays, !weekendDays.isEmpty, weekendDays.count < Weekday.allCases.count {
            var taken = Set(holidayNames.keys)
            for holiday in holidayNames.keys.sorted() where weekendDays.contains(holiday.weekday) {
                var day = holiday.adding(days: 1)
                while weekendDays.contains(day.weekday) || taken.contains(day) {
                    day = day.adding(days: 1)
                }
                taken.insert(day)
                if day.year == year {
                    let holidayName = (holidayNames[holiday] ?? []).joined(separator: "; ")
                    names[day] = "Nghỉ bù \(holidayName) trùng \(Self.vietnameseWeekdayName(holiday.weekday)) "
                        + holiday.vietnameseShortForm
                }
            }
        }
    }

    private static func vietnameseWeekdayName(_ weekday: Weekday) -> String {
        switch weekday {
        case .monday: "thứ Hai"
        case .tuesday: "thứ Ba"
        case .wednesday: "thứ Tư"
        case .thursday: "thứ Năm"
        case .friday: "thứ Sáu"
        case .saturday: "thứ Bảy"
        case .sunday: "Chủ nhật"
        }
    }
}

/// Everything about one civil year, indexed by day of the year (0 = 1 January).
private struct YearTable: Sendable {
    /// JDN of 1 January.
    let firstDay: Int
    let working: [Bool]
    /// `workingBefore[i]` = working days among the first `i` days of the year, so a range is
    /// counted with one subtraction.
    let workingBefore: [Int]
    let names: [String?]
    let holidays: [Holiday]
    /// Statutory holidays themselves (not compensation or bridged days), for `exceptions(in:)`.
    let statutory: Set<CivilDate>
    /// Names of the weekend days made working.
    let workingNames: [CivilDate: String]
}

/// The per-year tables of one calendar, computed on first use.
///
/// `@unchecked Sendable` is sound: the only mutable state, `tables`, is read and written only
/// while holding `lock`, and the tables themselves are immutable values. (An `NSLock` rather
/// than `Synchronization.Mutex`, which needs macOS 15 while the package supports macOS 14.)
private final class YearTableCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tables: [Int: YearTable] = [:]

    func table(forYear year: Int, build: (Int) -> YearTable) -> YearTable {
        lock.lock()
        let cached = tables[year]
        lock.unlock()
        if let cached {
            return cached
        }
        // Built outside the lock so that a slow first computation does not block readers of
        // other years; two threads may build the same year, and the first stored one is kept.
        let built = build(year)
        lock.lock()
        defer { lock.unlock() }
        if let existing = tables[year] {
            return existing
        }
        tables[year] = built
        return built
    }
}

/// Reads working-day flags by JDN, keeping the current year's table at hand so that loops over
/// consecutive days take the cache lock once per year instead of once per day.
private struct DayLookup {
    let calendar: WorkingDayCalendar
    private var current: YearTable?

    init(calendar: WorkingDayCalendar) {
        self.calendar = calendar
    }

    mutating func isWorking(_ julianDay: Int) -> Bool {
        if let current, julianDay >= current.firstDay, julianDay < current.firstDay + current.working.count {
            return current.working[julianDay - current.firstDay]
        }
        let table = calendar.table(forYear: CivilDate(julianDayNumber: julianDay).year)
        current = table
        return table.working[julianDay - table.firstDay]
    }
}
