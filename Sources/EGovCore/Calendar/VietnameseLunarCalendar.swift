import Foundation

/// A date on the Vietnamese lunisolar calendar (âm lịch).
///
/// `year` is the lunar year in which the date falls, named by the civil year in which that
/// lunar year begins (lunar year 2025 = Ất Tỵ, from Tết on 2025-01-29 to 2026-02-16).
/// `isLeapMonth` marks the intercalary month (tháng nhuận), which repeats the number of the
/// month before it.
public struct LunarDate: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    public let isLeapMonth: Bool

    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }

    /// `d/M/yyyy` with `(nhuận)` after a leap month, as Vietnamese calendars print it.
    public var description: String {
        "\(day)/\(month)\(isLeapMonth ? " (nhuận)" : "")/\(year)"
    }
}

/// The Vietnamese lunisolar calendar, computed rather than tabulated.
///
/// Why computed: a typed-in table is an unreviewable 200-line blob and silently wrong when a
/// digit slips; the rules of the calendar are short. The rules are those of the calendar
/// officially used in Vietnam since 1968, as implemented by the widely published algorithm of
/// Hồ Ngọc Đức ("Âm lịch Việt Nam"), which every Vietnamese calendar application reproduces:
///
/// 1. A lunar month begins on the local day that contains the astronomical new moon.
/// 2. Month 11 is the month that contains the winter solstice.
/// 3. When there are 13 new moons between two months 11 (a leap year), the first month after
///    month 11 that contains no major solar term (trung khí, a multiple of 30° of solar
///    longitude) is the leap month and repeats the previous month's number.
///
/// "Local" is UTC+7 (Hanoi's meridian, 105° E). That is the only difference from the Chinese
/// calendar, which uses UTC+8, and it is enough to move the new year in some years: Tết 1985
/// fell on 21 January in Vietnam but on 20 February in China; Tết 2007 on 17 February in
/// Vietnam, 18 February in China.
///
/// The new moons and solar longitudes use the truncated series of Meeus (*Astronomical
/// Algorithms*) that the published algorithm uses, whose accuracy (minutes) is adequate for
/// `supportedYears`. Outside that range the results are extrapolated and not guaranteed.
public enum VietnameseLunarCalendar {
    /// The years for which the algorithm's results are vouched for (and tested).
    public static let supportedYears: ClosedRange<Int> = 1900...2100

    /// Hours east of Greenwich of the meridian that defines the calendar (UTC+7).
    static let utcOffsetHours: Double = 7

    /// The lunar date of a civil date.
    public static func lunarDate(for date: CivilDate) -> LunarDate {
        let dayNumber = date.julianDayNumber

        // The lunation n whose new-moon day starts the month that contains the day:
        // newMoonDay(n) ≤ dayNumber < newMoonDay(n + 1). The mean-motion estimate can be one
        // lunation off because true new moons stray up to ~14 hours from the mean ones.
        var lunation = Int(((Double(dayNumber) - newMoonReferenceJD) / meanSynodicMonth).rounded(.down)) + 1
        while newMoonDay(lunation) > dayNumber {
            lunation -= 1
        }
        while newMoonDay(lunation + 1) <= dayNumber {
            lunation += 1
        }
        let monthStart = newMoonDay(lunation)

        // Frame the day between two months 11 (a11 ≤ monthStart < b11).
        var a11 = lunarMonth11(date.year)
        var b11 = a11
        var lunarYear: Int
        if a11 >= monthStart {
            lunarYear = date.year
            a11 = lunarMonth11(date.year - 1)
        } else {
            lunarYear = date.year + 1
            b11 = lunarMonth11(date.year + 1)
        }

        let lunarDay = dayNumber - monthStart + 1
        // Months since month 11 (a lunar month is 29 or 30 days, so dividing by 29 counts them).
        let diff = (monthStart - a11) / 29
        var isLeap = false
        var lunarMonth = diff + 11
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(a11)
            if diff >= leapOffset {
                lunarMonth = diff + 10
                isLeap = diff == leapOffset
            }
        }
        if lunarMonth > 12 {
            lunarMonth -= 12
        }
        // Months 11 and 12 that precede the new year belong to the previous lunar year.
        if lunarMonth >= 11 && diff < 4 {
            lunarYear -= 1
        }
        return LunarDate(year: lunarYear, month: lunarMonth, day: lunarDay, isLeapMonth: isLeap)
    }

    /// The civil date of a lunar date, or `nil` when that lunar day does not exist: a month
    /// outside 1…12, a leap month in a year whose leap month is another one (or that has
    /// none), or day 30 of a 29-day month.
    public static func solarDate(for lunar: LunarDate) -> CivilDate? {
        guard (1...12).contains(lunar.month), (1...30).contains(lunar.day) else { return nil }
        let start = monthStart(lunarYear: lunar.year, month: lunar.month, isLeapMonth: lunar.isLeapMonth)
        guard start.leapMonthMatches else { return nil }
        let candidate = CivilDate(julianDayNumber: start.julianDayNumber + lunar.day - 1)
        // Day 30 of a short month lands on the 1st of the next month: the round trip tells.
        guard lunarDate(for: candidate) == lunar else { return nil }
        return candidate
    }

    /// Tết Nguyên đán: the first day of the first month of `lunarYear`.
    public static func newYear(_ lunarYear: Int) -> CivilDate {
        CivilDate(julianDayNumber: monthStart(lunarYear: lunarYear, month: 1, isLeapMonth: false).julianDayNumber)
    }

    /// The lunar calendar's conventional name of a lunar day, as used in holiday names:
    /// "mùng 1 tháng Giêng", "30 tháng Chạp", "10 tháng Ba".
    static func vietnameseName(of lunar: LunarDate) -> String {
        let dayText = lunar.day <= 10 ? "mùng \(lunar.day)" : "\(lunar.day)"
        let monthNames = ["Giêng", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Một", "Chạp"]
        let monthText = (1...12).contains(lunar.month) ? monthNames[lunar.month - 1] : String(lunar.month)
        return "\(dayText) tháng \(monthText)\(lunar.isLeapMonth ? " nhuận" : "")"
    }

    // MARK: - The algorithm

    /// Julian date of the new moon that the lunation count k = 0 refers to (1900-01-01 ~13:50 UT),
    /// the origin used for estimating `k` from a day number.
    private static let newMoonReferenceJD = 2_415_021.076998695
    /// Mean length of a lunation in days.
    private static let meanSynodicMonth = 29.530588853
    private static let radiansPerDegree = Double.pi / 180

    /// The first day (JDN) of a lunar month, and whether the requested leap flag is possible.
    private static func monthStart(
        lunarYear: Int,
        month: Int,
        isLeapMonth: Bool
    ) -> (julianDayNumber: Int, leapMonthMatches: Bool) {
        // Months 11 and 12 of lunar year Y lie after month 11 of civil year Y; the others after
        // month 11 of civil year Y - 1.
        let a11: Int
        let b11: Int
        if month < 11 {
            a11 = lunarMonth11(lunarYear - 1)
            b11 = lunarMonth11(lunarYear)
        } else {
            a11 = lunarMonth11(lunarYear)
            b11 = lunarMonth11(lunarYear + 1)
        }
        let k = Int(((Double(a11) - newMoonReferenceJD) / meanSynodicMonth + 0.5).rounded(.down))
        var offset = month - 11
        if offset < 0 {
            offset += 12
        }
        var leapMatches = !isLeapMonth
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(a11)
            var leapMonth = leapOffset - 2
            if leapMonth < 0 {
                leapMonth += 12
            }
            if isLeapMonth {
                leapMatches = month == leapMonth
                offset += 1
            } else if offset >= leapOffset {
                offset += 1
            }
        }
        return (newMoonDay(k + offset), leapMatches)
    }

    /// JDN of the first day of month 11 (the month containing the winter solstice) that begins
    /// in civil year `year`'s December or just before.
    private static func lunarMonth11(_ year: Int) -> Int {
        let lastDay = CivilDate.julianDayNumber(year: year, month: 12, day: 31)
        let k = Int((Double(lastDay - 2_415_021) / meanSynodicMonth).rounded(.down))
        let newMoon = newMoonDay(k)
        // If the sun is already past 270° at that new moon, the solstice is in the month
        // before: that one is month 11.
        if solarSector(atStartOf: newMoon) >= 9 {
            return newMoonDay(k - 1)
        }
        return newMoon
    }

    /// Number of months after month 11 (starting at `a11`) of the leap month: the first month
    /// during which the sun does not enter a new 30° sector (no major solar term).
    private static func leapMonthOffset(_ a11: Int) -> Int {
        let k = Int(((Double(a11) - newMoonReferenceJD) / meanSynodicMonth + 0.5).rounded(.down))
        var index = 1
        var sector = solarSector(atStartOf: newMoonDay(k + index))
        var previous: Int
        repeat {
            previous = sector
            index += 1
            sector = solarSector(atStartOf: newMoonDay(k + index))
        } while sector != previous && index < 14
        return index - 1
    }

    /// JDN of the local (UTC+7) day that contains the k-th new moon after 1900-01-01.
    private static func newMoonDay(_ k: Int) -> Int {
        Int((newMoon(k) + 0.5 + utcOffsetHours / 24).rounded(.down))
    }

    /// Which 30° sector (0…11, 0 = from the vernal equinox) the sun is in at local midnight
    /// beginning day `jdn`. A month whose start and the next month's start share a sector
    /// contains no major solar term.
    private static func solarSector(atStartOf jdn: Int) -> Int {
        let longitude = sunLongitude(atJulianDate: Double(jdn) - 0.5 - utcOffsetHours / 24)
        return Int((longitude / Double.pi * 6).rounded(.down))
    }

    /// Julian date (UT) of the k-th new moon after the one of 1900 January 0.5 (Meeus, ch. 47,
    /// truncated as in the published algorithm).
    private static func newMoon(_ k: Int) -> Double {
        let kk = Double(k)
        let t = kk / 1236.85 // Julian centuries since 1900 January 0.5
        let t2 = t * t
        let t3 = t2 * t
        let dr = radiansPerDegree
        var jd1 = 2_415_020.75933 + 29.53058868 * kk + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr) // mean new moon
        let m = 359.2242 + 29.10535608 * kk - 0.0000333 * t2 - 0.00000347 * t3 // sun's mean anomaly
        let mpr = 306.0253 + 385.81691806 * kk + 0.0107306 * t2 + 0.00001236 * t3 // moon's mean anomaly
        let f = 21.2964 + 390.67050646 * kk - 0.0016528 * t2 - 0.00000239 * t3 // moon's argument of latitude
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 -= 0.4068 * sin(mpr * dr)
        c1 += 0.0161 * sin(dr * 2 * mpr)
        c1 -= 0.0004 * sin(dr * 3 * mpr)
        c1 += 0.0104 * sin(dr * 2 * f)
        c1 -= 0.0051 * sin(dr * (m + mpr))
        c1 -= 0.0074 * sin(dr * (m - mpr))
        c1 += 0.0004 * sin(dr * (2 * f + m))
        c1 -= 0.0004 * sin(dr * (2 * f - m))
        c1 -= 0.0006 * sin(dr * (2 * f + mpr))
        c1 += 0.0010 * sin(dr * (2 * f - mpr))
        c1 += 0.0005 * sin(dr * (2 * mpr + m))
        // ΔT (TT − UT) in days, polynomial fits.
        let deltaT: Double
        if t < -11 {
            deltaT = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
        } else {
            deltaT = -0.000278 + 0.000265 * t + 0.000262 * t2
        }
        return jd1 + c1 - deltaT
    }

    /// Apparent longitude of the sun in radians, 0 ≤ L < 2π, at Julian date `jd` (Meeus, ch. 25,
    /// low-accuracy series).
    private static func sunLongitude(atJulianDate jd: Double) -> Double {
        let t = (jd - 2_451_545.0) / 36525 // Julian centuries since J2000.0
        let t2 = t * t
        let dr = radiansPerDegree
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2 // mean anomaly
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2 // mean longitude
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var longitude = (l0 + dl) * dr
        longitude -= 2 * Double.pi * (longitude / (2 * Double.pi)).rounded(.down)
        return longitude
    }
}
