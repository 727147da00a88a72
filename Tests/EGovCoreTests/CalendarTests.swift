import Foundation
import Testing
@testable import EGovCore

/// Civil dates and the Vietnamese lunar calendar.
@Suite("Civil dates")
struct CalendarCivilDateTests {
    @Test("a date exists only if the Gregorian calendar has it")
    func validation() {
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2025, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2025, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 1, day: 0) == nil)
    }

    @Test("ISO parsing is strict: exactly yyyy-MM-dd")
    func isoParsing() throws {
        let date = try #require(CivilDate(iso: "2025-05-02"))
        #expect(date.year == 2025 && date.month == 5 && date.day == 2)
        #expect(date.description == "2025-05-02")
        for bad in ["2025-5-2", "2025-05-02T00:00", " 2025-05-02", "2025/05/02", "25-05-02",
                    "2025-02-29", "2025-13-01", "", "２０２５-05-02", "2025-0a-02", "+025-05-02"] {
            #expect(CivilDate(iso: bad) == nil, "\(bad) should be rejected")
        }
    }

    @Test("description pads the year to four digits")
    func descriptionPadding() throws {
        let date = try #require(CivilDate(year: 99, month: 1, day: 5))
        #expect(date.description == "0099-01-05")
    }

    @Test("Julian Day Numbers: known anchors and a round trip over two centuries")
    func julianDayNumbers() throws {
        #expect(try #require(CivilDate(iso: "2000-01-01")).julianDayNumber == 2_451_545)
        #expect(try #require(CivilDate(iso: "1970-01-01")).julianDayNumber == 2_440_588)
        #expect(try #require(CivilDate(iso: "1900-01-01")).julianDayNumber == 2_415_021)
        var date = try #require(CivilDate(iso: "1899-12-31"))
        let end = try #require(CivilDate(iso: "2101-01-01"))
        while date < end {
            let next = date.adding(days: 1)
            #expect(next.julianDayNumber == date.julianDayNumber + 1)
            #expect(CivilDate(julianDayNumber: date.julianDayNumber) == date)
            #expect(CivilDate(iso: date.description) == date)
            date = next
        }
        #expect(date == end)
        #expect(end.adding(days: -36_525 - 352).description == "2000-01-14")
    }

    @Test("weekdays agree with Foundation's Gregorian calendar")
    func weekdays() throws {
        #expect(try #require(CivilDate(iso: "2026-02-17")).weekday == .tuesday)
        #expect(try #require(CivilDate(iso: "2000-01-01")).weekday == .saturday)
        #expect(try #require(CivilDate(iso: "1970-01-01")).weekday == .thursday)
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = WorkingDayCalendar.vietnamTimeZone
        let calendar = WorkingDayCalendar()
        var date = try #require(CivilDate(iso: "2024-12-20"))
        for _ in 0..<400 {
            // Foundation: 1 = Sunday … 7 = Saturday.
            let foundationWeekday = gregorian.component(.weekday, from: calendar.startOfDay(date))
            #expect(date.weekday.rawValue == (foundationWeekday + 5) % 7 + 1)
            date = date.adding(days: 1)
        }
    }

    @Test("dates order chronologically")
    func ordering() throws {
        let a = try #require(CivilDate(iso: "2025-12-31"))
        let b = try #require(CivilDate(iso: "2026-01-01"))
        let c = try #require(CivilDate(iso: "2026-01-02"))
        #expect(a < b && b < c)
        #expect([c, a, b].sorted() == [a, b, c])
    }

    @Test("Codable uses the yyyy-MM-dd string")
    func codable() throws {
        let date = try #require(CivilDate(iso: "2025-05-02"))
        let data = try JSONEncoder().encode([date])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-05-02"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [date])
    }

    @Test("a malformed date string is a dataCorrupted decoding error")
    func decodingBadDate() {
        for bad in [#"["2025-02-30"]"#, #"["02/05/2025"]"#] {
            #expect {
                _ = try JSONDecoder().decode([CivilDate].self, from: Data(bad.utf8))
            } throws: { error in
                guard case DecodingError.dataCorrupted = error else { return false }
                return true
            }
        }
    }
}

@Suite("Vietnamese lunar calendar")
struct CalendarLunarTests {
    /// Tết Nguyên đán as published in Vietnam.
    @Test(
        "Tết falls on the published day",
        arguments: [
            (1900, "1900-01-31"),
            (1968, "1968-01-29"), // a day before China's (30 January): UTC+7
            (1985, "1985-01-21"), // China: 20 February
            (2000, "2000-02-05"),
            (2007, "2007-02-17"), // China: 18 February
            (2020, "2020-01-25"),
            (2023, "2023-01-22"),
            (2024, "2024-02-10"),
            (2025, "2025-01-29"),
            (2026, "2026-02-17"),
            (2027, "2027-02-06"),
            (2100, "2100-02-09"),
        ]
    )
    func tet(year: Int, iso: String) throws {
        let expected = try #require(CivilDate(iso: iso))
        #expect(VietnameseLunarCalendar.newYear(year) == expected)
        #expect(VietnameseLunarCalendar.lunarDate(for: expected) == LunarDate(year: year, month: 1, day: 1))
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: year, month: 1, day: 1)) == expected)
    }

    @Test("in Vietnam, China's new year of 1985 was the first day of the second month")
    func tet1985DiffersFromChina() throws {
        let chineseNewYear = try #require(CivilDate(iso: "1985-02-20"))
        #expect(VietnameseLunarCalendar.lunarDate(for: chineseNewYear) == LunarDate(year: 1985, month: 2, day: 1))
    }

    @Test("the day before Tết is the last day of the old lunar year")
    func lastDayOfYear() throws {
        #expect(VietnameseLunarCalendar.lunarDate(for: try #require(CivilDate(iso: "2026-02-16")))
            == LunarDate(year: 2025, month: 12, day: 29))
        #expect(VietnameseLunarCalendar.lunarDate(for: try #require(CivilDate(iso: "2024-02-09")))
            == LunarDate(year: 2023, month: 12, day: 30))
    }

    @Test(
        "Giỗ Tổ Hùng Vương (10th day of the 3rd month)",
        arguments: [
            (2022, "2022-04-10"),
            (2023, "2023-04-29"),
            (2024, "2024-04-18"),
            (2025, "2025-04-07"),
            (2026, "2026-04-26"),
        ]
    )
    func gioTo(year: Int, iso: String) throws {
        let expected = try #require(CivilDate(iso: iso))
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: year, month: 3, day: 10)) == expected)
    }

    @Test("2023 has a leap 2nd month, 2025 a leap 6th month, 2033 a leap 11th month")
    func leapMonths() throws {
        // 2023: tháng 2 nhuận from 22 March to 19 April (29 days).
        let leap2023 = try #require(CivilDate(iso: "2023-03-22"))
        #expect(VietnameseLunarCalendar.lunarDate(for: leap2023) == LunarDate(year: 2023, month: 2, day: 1, isLeapMonth: true))
        #expect(VietnameseLunarCalendar.lunarDate(for: leap2023.adding(days: -1)) == LunarDate(year: 2023, month: 2, day: 30))
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2023, month: 2, day: 29, isLeapMonth: true))
            == CivilDate(iso: "2023-04-19"))
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2023, month: 2, day: 30, isLeapMonth: true)) == nil)
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2023, month: 3, day: 1)) == CivilDate(iso: "2023-04-20"))

        // 2025: tháng 6 nhuận from 25 July.
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 6, day: 1, isLeapMonth: true))
            == CivilDate(iso: "2025-07-25"))
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 6, day: 30)) == CivilDate(iso: "2025-07-24"))
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 7, day: 1)) == CivilDate(iso: "2025-08-23"))

        // 2033: the leap month is the 11th (the "2033 problem" of the Chinese calendar).
        #expect(VietnameseLunarCalendar.lunarDate(for: try #require(CivilDate(iso: "2033-12-22")))
            == LunarDate(year: 2033, month: 11, day: 1, isLeapMonth: true))
    }

    @Test("lunar days that do not exist have no solar date")
    func nonexistentLunarDays() {
        // A leap month in a year without one, or the wrong month as leap.
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2024, month: 2, day: 1, isLeapMonth: true)) == nil)
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 5, day: 1, isLeapMonth: true)) == nil)
        // The 12th month of lunar year 2025 (Ất Tỵ) has 29 days.
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 12, day: 30)) == nil)
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 12, day: 29)) == CivilDate(iso: "2026-02-16"))
        // Out of range values.
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 13, day: 1)) == nil)
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 0, day: 1)) == nil)
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 1, day: 31)) == nil)
        #expect(VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 1, day: 0)) == nil)
    }

    @Test("the supported range is 1900…2100 and both ends convert")
    func bounds() throws {
        #expect(VietnameseLunarCalendar.supportedYears == 1900...2100)
        #expect(VietnameseLunarCalendar.lunarDate(for: try #require(CivilDate(iso: "1900-01-01")))
            == LunarDate(year: 1899, month: 12, day: 1))
        #expect(VietnameseLunarCalendar.lunarDate(for: try #require(CivilDate(iso: "2100-12-31")))
            == LunarDate(year: 2100, month: 12, day: 1))
    }

    /// Every civil day of the supported range: the lunar date is well formed, converts back to
    /// the same day, and consecutive days advance the lunar calendar by one day, a month
    /// being 29 or 30 days and a year 12 or 13 months.
    @Test("solar → lunar → solar round trip over every day of 1900…2100")
    func roundTripEveryDay() throws {
        var date = try #require(CivilDate(iso: "1900-01-01"))
        let end = try #require(CivilDate(iso: "2100-12-31"))
        var previous = VietnameseLunarCalendar.lunarDate(for: date)
        var monthLength = 0
        var failures = 0
        while date < end {
            date = date.adding(days: 1)
            let lunar = VietnameseLunarCalendar.lunarDate(for: date)
            var ok = (1...30).contains(lunar.day) && (1...12).contains(lunar.month)
            ok = ok && VietnameseLunarCalendar.solarDate(for: lunar) == date
            if lunar.day == 1 {
                ok = ok && (previous.day == 29 || previous.day == 30)
                if lunar.isLeapMonth {
                    ok = ok && lunar.month == previous.month && !previous.isLeapMonth && lunar.year == previous.year
                } else if lunar.month == 1 {
                    ok = ok && previous.month == 12 && lunar.year == previous.year + 1
                } else {
                    ok = ok && lunar.month == previous.month + 1 && lunar.year == previous.year
                }
                monthLength = 0
            } else {
                ok = ok && lunar.day == previous.day + 1 && lunar.month == previous.month
                    && lunar.isLeapMonth == previous.isLeapMonth && lunar.year == previous.year
            }
            monthLength += 1
            ok = ok && monthLength <= 30
            if !ok {
                failures += 1
                if failures <= 5 {
                    Issue.record("Inconsistent lunar date \(lunar) for \(date) after \(previous)")
                }
            }
            previous = lunar
        }
        #expect(failures == 0)
    }

    @Test("lunar years have 353–355 or 383–385 days, 13 months exactly when they have a leap month")
    func yearLengths() {
        for year in 1900...2100 {
            let start = VietnameseLunarCalendar.newYear(year)
            let length = VietnameseLunarCalendar.newYear(year + 1).julianDayNumber - start.julianDayNumber
            let hasLeapMonth = (1...12).contains { month in
                VietnameseLunarCalendar.solarDate(for: LunarDate(year: year, month: month, day: 1, isLeapMonth: true)) != nil
            }
            if hasLeapMonth {
                #expect((383...385).contains(length), "lunar year \(year) has \(length) days")
            } else {
                #expect((353...355).contains(length), "lunar year \(year) has \(length) days")
            }
        }
    }

    @Test("lunar day names follow Vietnamese usage")
    func names() {
        #expect(VietnameseLunarCalendar.vietnameseName(of: LunarDate(year: 2026, month: 1, day: 1)) == "mùng 1 tháng Giêng")
        #expect(VietnameseLunarCalendar.vietnameseName(of: LunarDate(year: 2025, month: 12, day: 30)) == "30 tháng Chạp")
        #expect(VietnameseLunarCalendar.vietnameseName(of: LunarDate(year: 2025, month: 6, day: 15, isLeapMonth: true))
            == "15 tháng Sáu nhuận")
        #expect(LunarDate(year: 2025, month: 6, day: 15, isLeapMonth: true).description == "15/6 (nhuận)/2025")
    }
}
