import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
import Testing
import VaporTesting

/// The national working-day calendar shipped with the platform (`national-calendar.yaml`), and the
/// public calendar API other systems read it through.
@Suite("The national calendar, as the notices decided each year")
struct NationalCalendarTests {
    /// Per year, from the Prime Minister's notices (see the sources in the file): every weekday off
    /// (`h` a statutory holiday itself, `o` another day off) and every weekend day worked.
    static let decided: [Int: (off: String, worked: String)] = [
        2020: ("01-01h 01-23h 01-24h 01-27h 01-28o 01-29o 04-02h 04-30h 05-01h 09-02h", ""),
        2021: ("01-01h 02-10h 02-11h 02-12h 02-15o 02-16o 04-21h 04-30h 05-03o 09-02h 09-03h", ""),
        2022: ("01-03o 01-31h 02-01h 02-02h 02-03h 02-04h 04-11o 05-02o 05-03o 09-01h 09-02h", ""),
        2023: ("01-02o 01-20h 01-23h 01-24h 01-25o 01-26o 05-01h 05-02o 05-03o 09-01h 09-04o", ""),
        2024: ("01-01h 02-08h 02-09h 02-12h 02-13o 02-14o 04-18h 04-29o 04-30h 05-01h 09-02h 09-03h", "05-04"),
        2025: ("01-01h 01-27h 01-28h 01-29h 01-30h 01-31h 04-07h 04-30h 05-01h 05-02o 09-01h 09-02h", "04-26"),
        2026: ("01-01h 01-02o 02-16h 02-17h 02-18h 02-19h 02-20h 04-27o 04-30h 05-01h 08-31o 09-01h 09-02h 11-24h", "01-10 08-22"),
    ]

    static func expected(_ year: Int) -> [String] {
        guard let decided = decided[year] else { return [] }
        let off = decided.off.split(separator: " ").map { "\(year)-\($0.dropLast()) \($0.last == "h" ? "holiday" : "dayOff")" }
        let worked = decided.worked.split(separator: " ").map { "\(year)-\($0) workingDay" }
        return (off + worked).sorted()
    }

    @Test("the shipped file decides the year exactly as its notices did", arguments: 2020...2026)
    func year(_ year: Int) throws {
        #expect(NationalCalendar.shipped.years.contains { $0.year == year })
        let calendar = CalendarSettings().workingDayCalendar
        let days = calendar.exceptions(in: year).map { "\($0.date) \($0.kind.rawValue)" }
        #expect(days == Self.expected(year))
        for day in calendar.exceptions(in: year) {
            #expect(calendar.isWorkingDay(day.date) == (day.kind == .workingDay), "\(day.date)")
            #expect(!day.name.isEmpty && day.name == day.name.precomposedStringWithCanonicalMapping)
        }
    }

    @Test("the file is the one decoded: it parses, and covers 2020 to 2026 with its sources")
    func shippedFile() throws {
        #expect(NationalCalendar.shipped.version != "none")
        #expect(NationalCalendar.shipped.coveredYears == 2020...2026)
        #expect(NationalCalendar.shipped.years.allSatisfy { !$0.sources.isEmpty })
    }

    @Test("after the covered years the Labour Code's rules decide, and a pack's own days apply on top")
    func rulesAfterwardsAndLocalDeviations() throws {
        let local = CalendarSettings(adjustments: [CalendarAdjustment(date: try #require(CivilDate(iso: "2025-03-10")), kind: .dayOff,
                                                                      name: "Ngày nghỉ riêng của tỉnh")])
            .workingDayCalendar
        #expect(!local.isWorkingDay(try #require(CivilDate(iso: "2025-03-10"))))
        #expect(!local.isWorkingDay(try #require(CivilDate(iso: "2025-01-27"))))
        // 2027: 1 January is a Friday, a holiday by the rules.
        #expect(!local.isWorkingDay(try #require(CivilDate(iso: "2027-01-01"))))
        #expect(local.exceptions(in: 2027).contains { $0.date == CivilDate(iso: "2027-01-01") && $0.kind == .holiday })
    }

    @Test("a pack's own holiday on a weekend of a notice year is compensated on the next working day")
    func localHolidayOnWeekend() throws {
        // 22 November 2026 is a Sunday.
        let calendar = CalendarSettings(fixedHolidays: [FixedHoliday(month: 11, day: 22, name: "Ngày truyền thống của tỉnh")])
            .workingDayCalendar
        let monday = try #require(CivilDate(iso: "2026-11-23"))
        #expect(!calendar.isWorkingDay(monday))
        #expect(calendar.exceptions(in: 2026).contains { $0.date == monday && $0.kind == .dayOff })
        #expect(calendar.isWorkingDay(try #require(CivilDate(iso: "2026-11-25"))))
    }

    @Test("a national file with a day in the wrong year, twice, or of the wrong kind for its weekday is refused")
    func fileChecks() throws {
        func decode(_ days: String) throws -> NationalCalendar {
            try NationalCalendar.decode(Data("version: \"t\"\nyears:\n  - year: 2025\n    sources: [t]\n    days:\n\(days)".utf8))
        }
        #expect(try decode("      - { date: 2025-05-02, kind: dayOff, name: a }\n").years.count == 1)
        for bad in ["      - { date: 2024-05-02, kind: dayOff, name: a }\n",
                    "      - { date: 2025-05-02, kind: dayOff, name: a }\n      - { date: 2025-05-02, kind: holiday, name: b }\n",
                    "      - { date: 2025-04-26, kind: holiday, name: a }\n",
                    "      - { date: 2025-05-02, kind: workingDay, name: a }\n"] {
            #expect(throws: (any Error).self) { try decode(bad) }
        }
    }

    struct YearJSON: Decodable {
        struct Day: Decodable { let date: String; let kind: String; let name: String }
        let year: Int
        let days: [Day]
    }

    struct DueJSON: Decodable { let dueAt: Date }

    @Test("GET /api/v1/calendar/{year} lists 2024-2026 as decided, on a fresh install with the demo pack",
          arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            for year in 2024...2026 {
                let response = try await egov.browser().get("/api/v1/calendar/\(year)")
                #expect(response.status == .ok)
                let body = try response.content.decode(YearJSON.self)
                #expect(body.year == year)
                // The demo pack adds no day of its own in these years.
                #expect(body.days.map { "\($0.date) \($0.kind)" } == Self.expected(year))
            }
            let y2025 = try await egov.browser().get("/api/v1/calendar/2025").content.decode(YearJSON.self)
            let kinds = Dictionary(y2025.days.map { ($0.date, $0.kind) }, uniquingKeysWith: { first, _ in first })
            for day in 27...31 { #expect(kinds["2025-01-\(day)"] != nil && kinds["2025-01-\(day)"] != "workingDay") }
            #expect(kinds["2025-04-26"] == "workingDay")
            #expect(kinds["2025-05-02"] == "dayOff")
            #expect(kinds["2025-09-01"] != nil && kinds["2025-09-01"] != "workingDay")

            for bad in ["abc", "1899", "2200", "99999999999999999999", "-1", "+2025"] {
                #expect(try await egov.browser().get("/api/v1/calendar/\(bad)").status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("GET /api/v1/calendar/due counts working days by the rule dossiers use", arguments: TestDatabase.enabled)
    func due(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            func due(_ from: String, _ days: Int, cutoff: Int? = nil) async throws -> Date {
                var path = "/api/v1/calendar/due?from=\(from.replacingOccurrences(of: "+", with: "%2B"))&days=\(days)"
                if let cutoff { path += "&cutoffHour=\(cutoff)" }
                let response = try await egov.browser().get(path)
                #expect(response.status == .ok, "\(path): \(response.body.string)")
                return try response.content.decode(DueJSON.self).dueAt
            }
            // Friday 25 April 2025 + 1: Saturday 26 April was worked (for Friday 2 May).
            #expect(try await due("2025-04-25T09:00:00+07:00", 1) == TestInstallation.vietnamTime(2025, 4, 26, hour: 9))
            // The offset's `+` left unencoded in the query (it arrives as a space) means the same.
            let plain = try await egov.browser().get("/api/v1/calendar/due?from=2025-04-25T09:00:00+07:00&days=1")
            #expect(try plain.content.decode(DueJSON.self).dueAt == TestInstallation.vietnamTime(2025, 4, 26, hour: 9))
            // Tuesday 29 April + 1: 30/4, 1/5 and 2/5 off, then the weekend.
            #expect(try await due("2025-04-29T09:00:00+07:00", 1) == TestInstallation.vietnamTime(2025, 5, 5, hour: 9))
            // After the cut-off hour the count starts on the next working day: the dossiers' rule itself.
            let nine = try #require(TestInstallation.vietnamTime(2025, 4, 25, hour: 9))
            let rule = CalendarSettings().workingDayCalendar.addingWorkingDays(1, to: nine, cutoffHour: 8)
            #expect(rule > nine.addingTimeInterval(86_400))
            #expect(try await due("2025-04-25T02:00:00Z", 1, cutoff: 8) == rule)
            #expect(abs(try await due("2025-04-25T09:00:00.250+07:00", 0).timeIntervalSince(nine)) < 1)

            for bad in ["from=2025-04-25&days=1", "from=nonsense&days=1", "from=2025-04-25T09:00:00%2B07:00&days=-1",
                        "from=2025-04-25T09:00:00%2B07:00&days=100000", "from=2025-04-25T09:00:00%2B07:00",
                        "from=2025-04-25T09:00:00%2B07:00&days=1&cutoffHour=24", "from=9999-04-25T09:00:00%2B07:00&days=1"] {
                #expect(try await egov.browser().get("/api/v1/calendar/due?\(bad)").status == .badRequest, "\(bad)")
            }
        }
    }
}
