import Foundation
import Testing
@testable import EGovCore

private func day(_ iso: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CivilDate {
    try #require(CivilDate(iso: iso), sourceLocation: sourceLocation)
}

/// 24 November, Ngày Văn hóa Việt Nam, as a locality pack adds it (from 2026).
private let cultureDay = FixedHoliday(month: 11, day: 24, name: "Ngày Văn hóa Việt Nam", fromYear: 2026)

@Suite("Holidays")
struct CalendarHolidayTests {
    @Test("2026 under the Labour Code 2019, with the culture day of the pack")
    func holidays2026() throws {
        let calendar = WorkingDayCalendar(fixedHolidays: [cultureDay])
        let holidays = calendar.holidays(in: 2026)
        let expected: [(String, String)] = [
            ("2026-01-01", "Tết Dương lịch"),
            ("2026-02-16", "Tết Nguyên đán (29 tháng Chạp)"),
            ("2026-02-17", "Tết Nguyên đán (mùng 1 tháng Giêng)"),
            ("2026-02-18", "Tết Nguyên đán (mùng 2 tháng Giêng)"),
            ("2026-02-19", "Tết Nguyên đán (mùng 3 tháng Giêng)"),
            ("2026-02-20", "Tết Nguyên đán (mùng 4 tháng Giêng)"),
            // Giỗ Tổ is a Sunday: art. 111(3) gives the Monday after.
            ("2026-04-26", "Giỗ Tổ Hùng Vương"),
            ("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương trùng Chủ nhật 26/4/2026"),
            ("2026-04-30", "Ngày Chiến thắng"),
            ("2026-05-01", "Ngày Quốc tế lao động"),
            // 2 September is a Wednesday: 1 and 3 September tie, the day before is taken.
            ("2026-09-01", "Quốc khánh (ngày liền kề)"),
            ("2026-09-02", "Quốc khánh"),
            ("2026-11-24", "Ngày Văn hóa Việt Nam"),
        ]
        #expect(holidays.map(\.date.description) == expected.map(\.0))
        #expect(holidays.map(\.name) == expected.map(\.1))
        #expect(holidays == holidays.sorted { $0.date < $1.date })
    }

    @Test("the Tết break of 2026 runs from Saturday 14 to Sunday 22 February, nine days")
    func tetBreak2026() throws {
        let calendar = WorkingDayCalendar()
        #expect(calendar.isWorkingDay(try day("2026-02-13")))
        for offset in 0..<9 {
            #expect(!calendar.isWorkingDay(try day("2026-02-14").adding(days: offset)))
        }
        #expect(calendar.isWorkingDay(try day("2026-02-23")))
        #expect(calendar.holidayName(on: try day("2026-02-17")) == "Tết Nguyên đán (mùng 1 tháng Giêng)")
        #expect(calendar.holidayName(on: try day("2026-02-14")) == nil) // an ordinary Saturday
        #expect(calendar.holidayName(on: try day("2026-02-23")) == nil)
    }

    @Test("each year has the eleven statutory days of art. 112(1)")
    func elevenDays() {
        let calendar = WorkingDayCalendar()
        for year in 2021...2040 {
            let statutory = calendar.holidays(in: year).filter { !$0.name.hasPrefix("Nghỉ bù") }
            // Giỗ Tổ cannot meet 30 April/1 May in these years; it would merge into one entry.
            #expect(statutory.count == 11, "\(year): \(statutory.map(\.date))")
        }
    }

    @Test("the culture day (24 November) exists from 2026, not in 2025")
    func cultureDayFrom2026() throws {
        let calendar = WorkingDayCalendar(fixedHolidays: [cultureDay])
        #expect(calendar.isWorkingDay(try day("2025-11-24")))
        #expect(!calendar.holidays(in: 2025).contains { $0.date.month == 11 })
        #expect(!calendar.isWorkingDay(try day("2026-11-24")))
        #expect(calendar.holidayName(on: try day("2026-11-24")) == "Ngày Văn hóa Việt Nam")
        // The built-in rules do not have it: it is the pack's.
        #expect(WorkingDayCalendar().isWorkingDay(try day("2026-11-24")))
        #expect(!HolidayRules.labourCode2019.fixedHolidays.contains { $0.month == 11 && $0.day == 24 })
        // And a toYear ends it.
        let ended = FixedHoliday(month: 11, day: 24, name: "Ngày Văn hóa Việt Nam", fromYear: 2026, toYear: 2027)
        #expect(!WorkingDayCalendar(fixedHolidays: [ended]).isWorkingDay(try day("2027-11-24")))
        #expect(WorkingDayCalendar(fixedHolidays: [ended]).isWorkingDay(try day("2028-11-24")))
    }

    @Test("2025's swap: Saturday 26 April worked, Friday 2 May off")
    func adjustments2025() throws {
        let calendar = WorkingDayCalendar(adjustments: [
            CalendarAdjustment(date: try day("2025-05-02"), kind: .dayOff, name: "Nghỉ bù (làm bù thứ Bảy 26/4/2025)"),
            CalendarAdjustment(date: try day("2025-04-26"), kind: .workingDay, name: "Làm bù cho ngày 2/5/2025"),
        ])
        #expect(calendar.isWorkingDay(try day("2025-04-26")))
        #expect(!calendar.isWorkingDay(try day("2025-05-02")))
        #expect(calendar.holidayName(on: try day("2025-05-02")) == "Nghỉ bù (làm bù thứ Bảy 26/4/2025)")
        #expect(calendar.holidays(in: 2025).contains(Holiday(date: try day("2025-05-02"), name: "Nghỉ bù (làm bù thứ Bảy 26/4/2025)")))
        #expect(!calendar.holidays(in: 2025).contains { $0.date == (try? day("2025-04-26")) })
        // The break is 30 April – 4 May: five days.
        for offset in 0..<5 {
            #expect(!calendar.isWorkingDay(try day("2025-04-30").adding(days: offset)))
        }
        #expect(calendar.isWorkingDay(try day("2025-04-29")))
        #expect(calendar.isWorkingDay(try day("2025-05-05")))
        // Without the notice the Saturday is off and the Friday worked.
        #expect(!WorkingDayCalendar().isWorkingDay(try day("2025-04-26")))
        #expect(WorkingDayCalendar().isWorkingDay(try day("2025-05-02")))
    }

    @Test("by the rules, Tết 2025 ends on a Saturday (mùng 4) and is compensated on Monday 3 February")
    func tet2025Compensation() throws {
        let calendar = WorkingDayCalendar()
        #expect(calendar.holidayName(on: try day("2025-01-28")) == "Tết Nguyên đán (29 tháng Chạp)")
        #expect(calendar.holidayName(on: try day("2025-02-01")) == "Tết Nguyên đán (mùng 4 tháng Giêng)")
        #expect(calendar.holidayName(on: try day("2025-02-03"))
            == "Nghỉ bù Tết Nguyên đán (mùng 4 tháng Giêng) trùng thứ Bảy 1/2/2025")
        #expect(calendar.isWorkingDay(try day("2025-02-04")))
    }

    @Test("the 2025 notice (27–31 January off, nothing after) is encoded with two adjustments")
    func tet2025Notice() throws {
        let calendar = WorkingDayCalendar(adjustments: [
            CalendarAdjustment(date: try day("2025-01-27"), kind: .dayOff, name: "Tết Nguyên đán (28 tháng Chạp)"),
            CalendarAdjustment(date: try day("2025-02-03"), kind: .workingDay),
        ])
        #expect(calendar.isWorkingDay(try day("2025-01-24")))
        for offset in 0..<9 {
            #expect(!calendar.isWorkingDay(try day("2025-01-25").adding(days: offset)))
        }
        #expect(calendar.isWorkingDay(try day("2025-02-03")))
        #expect(calendar.workingDays(from: try day("2025-01-01"), through: try day("2025-02-28"))
            == WorkingDayCalendar().workingDays(from: try day("2025-01-01"), through: try day("2025-02-28")))
    }

    @Test("a notice's own compensation day on the computed Monday does not add a second day")
    func noticeCompensationCoincides() throws {
        let calendar = WorkingDayCalendar(adjustments: [
            CalendarAdjustment(date: try day("2026-04-27"), kind: .dayOff, name: "Nghỉ bù Giỗ Tổ Hùng Vương"),
        ])
        #expect(!calendar.isWorkingDay(try day("2026-04-27")))
        #expect(calendar.holidayName(on: try day("2026-04-27")) == "Nghỉ bù Giỗ Tổ Hùng Vương")
        #expect(calendar.isWorkingDay(try day("2026-04-28")))
    }

    @Test("a weekend New Year's Day is compensated on Monday, as on 2 January 2023")
    func newYear2023() throws {
        let calendar = WorkingDayCalendar()
        #expect(calendar.holidayName(on: try day("2023-01-02")) == "Nghỉ bù Tết Dương lịch trùng Chủ nhật 1/1/2023")
        #expect(!calendar.isWorkingDay(try day("2023-01-02")))
        #expect(calendar.isWorkingDay(try day("2023-01-03")))
    }

    @Test("Giỗ Tổ 2022 fell on Sunday 10 April and was taken on Monday 11 April")
    func gioTo2022() throws {
        let calendar = WorkingDayCalendar()
        #expect(calendar.holidayName(on: try day("2022-04-10")) == "Giỗ Tổ Hùng Vương")
        #expect(!calendar.isWorkingDay(try day("2022-04-11")))
    }

    @Test("compensation comes after the whole run of days off, and crosses New Year")
    func compensationAcrossYear() throws {
        // A (hypothetical) holiday on Saturday 31 December 2022, then New Year's Day on Sunday:
        // Monday 2 and Tuesday 3 January 2023 are the compensation days, in date order.
        let calendar = WorkingDayCalendar(fixedHolidays: [FixedHoliday(month: 12, day: 31, name: "Ngày thử")])
        #expect(calendar.holidayName(on: try day("2023-01-02")) == "Nghỉ bù Ngày thử trùng thứ Bảy 31/12/2022")
        #expect(calendar.holidayName(on: try day("2023-01-03")) == "Nghỉ bù Tết Dương lịch trùng Chủ nhật 1/1/2023")
        #expect(calendar.isWorkingDay(try day("2023-01-04")))
        #expect(calendar.holidays(in: 2023).first?.date == (try day("2023-01-01")))
        #expect(calendar.holidays(in: 2022).last?.date == (try day("2022-12-31")))
    }

    @Test(
        "the day adjacent to 2 September makes the longest break with the weekend",
        arguments: [
            // (year, adjacent day, compensation day or nil); 2021, 2022, 2024 and 2025 match the
            // Prime Minister's decisions of those years.
            (2021, "2021-09-03", nil), // Thursday → Friday: Thursday–Sunday
            (2022, "2022-09-01", nil), // Friday → Thursday: Thursday–Sunday
            (2023, "2023-09-01", "2023-09-04"), // Saturday → Friday, and Monday for the Saturday
            (2024, "2024-09-03", nil), // Monday → Tuesday: Saturday–Tuesday
            (2025, "2025-09-01", nil), // Tuesday → Monday: Saturday–Tuesday
            (2026, "2026-09-01", nil), // Wednesday: tie, the day before
            (2029, "2029-09-03", "2029-09-04"), // Sunday → Monday, and Tuesday for the Sunday
        ] as [(Int, String, String?)]
    )
    func nationalDay(year: Int, adjacent: String, compensation: String?) throws {
        let calendar = WorkingDayCalendar()
        let september = calendar.holidays(in: year).filter { $0.date.month == 9 }
        var expected = [try day(adjacent), try #require(CivilDate(year: year, month: 9, day: 2))]
        if let compensation {
            expected.append(try day(compensation))
        }
        #expect(september.map(\.date) == expected.sorted())
        #expect(calendar.holidayName(on: try day(adjacent)) == "Quốc khánh (ngày liền kề)")
    }

    @Test("without compensation, a weekend holiday is simply lost")
    func noCompensation() throws {
        var rules = HolidayRules.labourCode2019
        rules.compensateWeekendHolidays = false
        let calendar = WorkingDayCalendar(rules: rules)
        #expect(calendar.isWorkingDay(try day("2026-04-27")))
        #expect(!calendar.holidays(in: 2026).contains { $0.name.hasPrefix("Nghỉ bù") })
    }

    @Test("an enterprise with only Sunday off works on Saturdays; its Sunday holidays move to Monday")
    func sundayOnlyWeekend() throws {
        var rules = HolidayRules.labourCode2019
        rules.weekend = [.sunday]
        let calendar = WorkingDayCalendar(rules: rules)
        #expect(calendar.isWorkingDay(try day("2026-04-25")))
        #expect(!calendar.isWorkingDay(try day("2026-04-27")))
        // Tết 2025's Saturday (mùng 4) is now a working day lost to Tết: no compensation.
        #expect(calendar.isWorkingDay(try day("2025-02-03")))
    }

    @Test("the number of Tết days follows the rules")
    func tetLength() throws {
        var rules = HolidayRules.labourCode2019
        rules.tetDaysBefore = 2
        rules.tetDaysFromNewYear = 5
        let calendar = WorkingDayCalendar(rules: rules)
        let tet = calendar.holidays(in: 2026).filter { $0.name.hasPrefix("Tết Nguyên đán") }
        #expect(tet.first?.date == (try day("2026-02-15")))
        #expect(tet.last?.date == (try day("2026-02-21")))
        #expect(tet.count == 7)
        #expect(tet.first?.name == "Tết Nguyên đán (28 tháng Chạp)")
        // Sunday 15 and Saturday 21 February fall on the weekend: Monday 23 and Tuesday 24.
        #expect(!calendar.isWorkingDay(try day("2026-02-23")))
        #expect(!calendar.isWorkingDay(try day("2026-02-24")))
        #expect(calendar.isWorkingDay(try day("2026-02-25")))
    }

    @Test("holiday names are Vietnamese in NFC")
    func namesAreNFC() {
        let calendar = WorkingDayCalendar(fixedHolidays: [cultureDay])
        for year in 2020...2030 {
            for holiday in calendar.holidays(in: year) {
                #expect(holiday.name == holiday.name.precomposedStringWithCanonicalMapping)
                #expect(Array(holiday.name.unicodeScalars) == Array(holiday.name.precomposedStringWithCanonicalMapping.unicodeScalars))
            }
        }
    }

    @Test("the last adjustment for a date wins; a day off without a name gets a generic one")
    func adjustmentPrecedence() throws {
        let date = try day("2026-03-10")
        let calendar = WorkingDayCalendar(adjustments: [
            CalendarAdjustment(date: date, kind: .workingDay),
            CalendarAdjustment(date: date, kind: .dayOff),
        ])
        #expect(!calendar.isWorkingDay(date))
        #expect(calendar.holidayName(on: date) == "Ngày nghỉ theo thông báo")
        // A working-day adjustment on a holiday removes it.
        let worked = WorkingDayCalendar(adjustments: [CalendarAdjustment(date: try day("2026-04-30"), kind: .workingDay)])
        #expect(worked.isWorkingDay(try day("2026-04-30")))
        #expect(worked.holidayName(on: try day("2026-04-30")) == nil)
    }

    @Test("the calendar can be read from many tasks at once")
    func concurrentReads() async throws {
        let calendar = WorkingDayCalendar(fixedHolidays: [cultureDay])
        let reference = WorkingDayCalendar(fixedHolidays: [cultureDay])
        let start = try day("2020-01-01")
        let expected = (0..<4000).map { reference.isWorkingDay(start.adding(days: $0)) }
        let results = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<4000).map { calendar.isWorkingDay(start.adding(days: $0)) } }
            }
            var all: [[Bool]] = []
            for await result in group {
                all.append(result)
            }
            return all
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
    }
}

@Suite("Holiday rules coding")
struct CalendarCodingTests {
    @Test("a pack's calendar.yaml entries decode (as JSON here)")
    func packEntries() throws {
        let json = #"""
        {
          "fixedHolidays": [ { "date": "11-24", "name": "Ngày Văn hóa Việt Nam", "fromYear": 2026 } ],
          "adjustments": [
            { "date": "2025-05-02", "kind": "dayOff", "name": "Nghỉ bù (làm bù thứ Bảy 26/4/2025)" },
            { "date": "2025-04-26", "kind": "workingDay" }
          ]
        }
        """#
        struct CalendarSection: Decodable {
            var fixedHolidays: [FixedHoliday]
            var adjustments: [CalendarAdjustment]
        }
        let section = try JSONDecoder().decode(CalendarSection.self, from: Data(json.utf8))
        #expect(section.fixedHolidays == [cultureDay])
        #expect(section.adjustments == [
            CalendarAdjustment(date: try day("2025-05-02"), kind: .dayOff, name: "Nghỉ bù (làm bù thứ Bảy 26/4/2025)"),
            CalendarAdjustment(date: try day("2025-04-26"), kind: .workingDay, name: nil),
        ])
    }

    @Test("fixed holidays also decode from month and day keys, and encode as MM-dd")
    func fixedHolidayForms() throws {
        let decoded = try JSONDecoder().decode(
            FixedHoliday.self,
            from: Data(#"{"month": 11, "day": 24, "name": "Ngày Văn hóa Việt Nam", "fromYear": 2026}"#.utf8)
        )
        #expect(decoded == cultureDay)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(cultureDay), as: UTF8.self)
        #expect(text == #"{"date":"11-24","fromYear":2026,"name":"Ngày Văn hóa Việt Nam"}"#)
    }

    @Test("impossible holiday dates are rejected at load time", arguments: [
        #"{"date": "13-01", "name": "x"}"#,
        #"{"date": "02-30", "name": "x"}"#,
        #"{"date": "2-3", "name": "x"}"#,
        #"{"date": "11/24", "name": "x"}"#,
        #"{"month": 4, "day": 31, "name": "x"}"#,
        #"{"name": "x"}"#,
    ])
    func badFixedHoliday(json: String) {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(FixedHoliday.self, from: Data(json.utf8))
        }
    }

    @Test("an unknown adjustment kind or a bad date is rejected")
    func badAdjustment() {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(CalendarAdjustment.self, from: Data(#"{"date": "2025-05-02", "kind": "holiday"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(CalendarAdjustment.self, from: Data(#"{"date": "2025-5-2", "kind": "dayOff"}"#.utf8))
        }
    }

    @Test("rules round-trip through JSON, and missing keys take the Labour Code values")
    func rulesCoding() throws {
        let data = try JSONEncoder().encode(HolidayRules.labourCode2019)
        #expect(try JSONDecoder().decode(HolidayRules.self, from: data) == .labourCode2019)
        #expect(try JSONDecoder().decode(HolidayRules.self, from: Data("{}".utf8)) == .labourCode2019)
        let sundayOnly = try JSONDecoder().decode(HolidayRules.self, from: Data(#"{"weekend": [7]}"#.utf8))
        #expect(sundayOnly.weekend == [.sunday])
        #expect(sundayOnly.fixedHolidays == HolidayRules.labourCode2019.fixedHolidays)
        let lunar = try JSONDecoder().decode(LunarHoliday.self, from: Data(#"{"date": "03-10", "name": "Giỗ Tổ Hùng Vương"}"#.utf8))
        #expect(lunar == LunarHoliday(month: 3, day: 10, name: "Giỗ Tổ Hùng Vương"))
    }

    @Test("rules without any working day are rejected")
    func degenerateRules() {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(HolidayRules.self, from: Data(#"{"weekend": [1, 2, 3, 4, 5, 6, 7]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(HolidayRules.self, from: Data(#"{"tetDaysBefore": -1}"#.utf8))
        }
    }
}
