import Foundation
import Testing
@testable import EGovCore

private func day(_ iso: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CivilDate {
    try #require(CivilDate(iso: iso), sourceLocation: sourceLocation)
}

private let hour: TimeInterval = 3600
private let workingDay: TimeInterval = 86_400

/// Deadline arithmetic: instants in Vietnam time, working days and working time.
@Suite("Working-day deadlines")
struct CalendarDeadlineTests {
    let calendar = WorkingDayCalendar()

    /// The instant at `hh:mm` Vietnam time on `iso`.
    private func at(_ iso: String, _ hours: Int, _ minutes: Int = 0,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Date {
        calendar.startOfDay(try day(iso, sourceLocation: sourceLocation))
            .addingTimeInterval(TimeInterval(hours) * hour + TimeInterval(minutes) * 60)
    }

    @Test("Vietnam time is a fixed UTC+7")
    func timeZone() throws {
        #expect(WorkingDayCalendar.vietnamTimeZone.secondsFromGMT() == 7 * 3600)
        // 2026-02-17 00:00 +07:00 = 2026-02-16 17:00 UTC.
        let tetMidnight = Date(timeIntervalSince1970: 1_771_261_200)
        #expect(calendar.startOfDay(try day("2026-02-17")) == tetMidnight)
        #expect(calendar.civilDate(of: tetMidnight) == (try day("2026-02-17")))
        #expect(calendar.civilDate(of: tetMidnight.addingTimeInterval(-1)) == (try day("2026-02-16")))
        // Agrees with Foundation's calendar in the same zone, before 1970 too.
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = WorkingDayCalendar.vietnamTimeZone
        for iso in ["1960-06-15", "1999-12-31", "2000-02-29", "2026-09-02", "2100-12-31"] {
            let date = try day(iso)
            let components = DateComponents(year: date.year, month: date.month, day: date.day)
            #expect(gregorian.date(from: components) == calendar.startOfDay(date))
            #expect(calendar.civilDate(of: calendar.startOfDay(date).addingTimeInterval(86_399)) == date)
        }
    }

    @Test("Monday 10:00 + 3 working days is Thursday 10:00")
    func plainWeek() throws {
        #expect(calendar.addingWorkingDays(3, to: try at("2026-03-09", 10)) == (try at("2026-03-12", 10)))
    }

    @Test("Friday 16:00 + 1 working day is Monday 16:00: the weekend does not count")
    func acrossWeekend() throws {
        #expect(calendar.addingWorkingDays(1, to: try at("2026-03-13", 16)) == (try at("2026-03-16", 16)))
    }

    @Test("a dossier received on Saturday 09:00 with 1 working day is due at the end of Monday")
    func receivedOnSaturday() throws {
        let due = calendar.addingWorkingDays(1, to: try at("2026-03-14", 9))
        #expect(due == (try at("2026-03-17", 0)))
        #expect(calendar.addingWorkingDays(0, to: try at("2026-03-14", 9)) == (try at("2026-03-16", 0)))
    }

    @Test("a dossier received on the Friday before Tết is due after the Tết break")
    func acrossTet() throws {
        // Friday 13 February 2026, 10:00: the office closes from Saturday 14 to Sunday 22.
        let received = try at("2026-02-13", 10)
        #expect(calendar.addingWorkingDays(1, to: received) == (try at("2026-02-23", 10)))
        #expect(calendar.addingWorkingDays(3, to: received) == (try at("2026-02-25", 10)))
        #expect(calendar.workingDays(from: received, to: try at("2026-02-25", 10)) == 3)
    }

    @Test("a dossier received after the cut-off hour counts from the next working day")
    func cutoffHour() throws {
        // Thursday 16:30 with a 16:00 cut-off: counted from Friday 00:00, due at the end of Friday.
        #expect(calendar.addingWorkingDays(1, to: try at("2026-03-12", 16, 30), cutoffHour: 16) == (try at("2026-03-14", 0)))
        #expect(calendar.addingWorkingDays(1, to: try at("2026-03-12", 16, 0), cutoffHour: 16) == (try at("2026-03-14", 0)))
        // Before the cut-off nothing moves; without one, neither.
        #expect(calendar.addingWorkingDays(1, to: try at("2026-03-12", 15, 59), cutoffHour: 16) == (try at("2026-03-13", 15, 59)))
        #expect(calendar.addingWorkingDays(1, to: try at("2026-03-12", 16, 30)) == (try at("2026-03-13", 16, 30)))
        // Friday after the cut-off: counted from Monday, due at the end of Monday.
        #expect(calendar.addingWorkingDays(1, to: try at("2026-03-13", 17), cutoffHour: 16) == (try at("2026-03-17", 0)))
        // The day before Tết after hours: the count starts after the break.
        #expect(calendar.addingWorkingDays(2, to: try at("2026-02-13", 17), cutoffHour: 16) == (try at("2026-02-25", 0)))
    }

    @Test("working days are counted in the pack's calendar, adjustments included")
    func withAdjustments() throws {
        let calendar = WorkingDayCalendar(adjustments: [
            CalendarAdjustment(date: try day("2025-05-02"), kind: .dayOff, name: "Nghỉ bù (làm bù thứ Bảy 26/4/2025)"),
            CalendarAdjustment(date: try day("2025-04-26"), kind: .workingDay, name: "Làm bù cho ngày 2/5/2025"),
        ])
        // Friday 25 April 10:00 + 1: the Saturday is worked.
        let friday = calendar.startOfDay(try day("2025-04-25")).addingTimeInterval(10 * hour)
        #expect(calendar.addingWorkingDays(1, to: friday) == calendar.startOfDay(try day("2025-04-26")).addingTimeInterval(10 * hour))
        // Tuesday 29 April 10:00 + 1: 30 April – 4 May are off.
        let tuesday = calendar.startOfDay(try day("2025-04-29")).addingTimeInterval(10 * hour)
        #expect(calendar.addingWorkingDays(1, to: tuesday) == calendar.startOfDay(try day("2025-05-05")).addingTimeInterval(10 * hour))
    }

    @Test("working time only counts on working days")
    func workingSeconds() throws {
        // Friday 16:00 → Monday 10:00: 8 hours on Friday, 10 on Monday.
        #expect(calendar.workingSeconds(from: try at("2026-03-13", 16), to: try at("2026-03-16", 10)) == 18 * hour)
        #expect(calendar.workingSeconds(from: try at("2026-03-16", 10), to: try at("2026-03-13", 16)) == -18 * hour)
        // Within one day, and on a weekend.
        #expect(calendar.workingSeconds(from: try at("2026-03-16", 8), to: try at("2026-03-16", 11, 30)) == 3.5 * hour)
        #expect(calendar.workingSeconds(from: try at("2026-03-14", 8), to: try at("2026-03-15", 20)) == 0)
        // The whole Tết break is worth nothing.
        #expect(calendar.workingSeconds(from: try at("2026-02-14", 0), to: try at("2026-02-23", 0)) == 0)
        #expect(calendar.workingSeconds(from: try at("2026-02-13", 12), to: try at("2026-02-23", 12)) == 24 * hour)
    }

    @Test("whole working days between instants truncate toward zero")
    func wholeWorkingDays() throws {
        // Friday 16:00 → Tuesday 15:00: 8 + 24 + 15 = 47 hours.
        #expect(calendar.workingDays(from: try at("2026-03-13", 16), to: try at("2026-03-17", 15)) == 1)
        #expect(calendar.workingDays(from: try at("2026-03-17", 15), to: try at("2026-03-13", 16)) == -1)
        #expect(calendar.workingDays(from: try at("2026-03-13", 16), to: try at("2026-03-17", 16)) == 2)
    }

    @Test("working time added and measured agree, from any start")
    func addingWorkingTimeInvertsWorkingSeconds() throws {
        let starts = try [
            at("2026-03-13", 16), at("2026-03-14", 9), at("2026-02-13", 23, 59),
            at("2026-02-16", 0), at("2026-04-24", 12), at("2026-12-31", 18), at("2026-03-16", 0),
        ]
        let amounts: [TimeInterval] = [1, 59, hour, 8 * hour, workingDay - 1, workingDay, workingDay + 1,
                                       3 * workingDay, 10 * workingDay + 7 * hour, 30 * workingDay]
        for start in starts {
            for amount in amounts {
                let later = calendar.addingWorkingTime(amount, to: start)
                #expect(calendar.workingSeconds(from: start, to: later) == amount)
                // Earliest such instant: one second before, the time has not run out.
                #expect(calendar.workingSeconds(from: start, to: later.addingTimeInterval(-1)) < amount)
                let earlier = calendar.addingWorkingTime(-amount, to: start)
                #expect(calendar.workingSeconds(from: earlier, to: start) == amount)
            }
        }
        #expect(calendar.addingWorkingTime(0, to: try at("2026-03-14", 9)) == (try at("2026-03-14", 9)))
        // Back 12 hours from Monday 10:00 is Friday 22:00.
        #expect(calendar.addingWorkingTime(-12 * hour, to: try at("2026-03-16", 10)) == (try at("2026-03-13", 22)))
    }

    @Test("a paused dossier resumes with the working time it had left")
    func pauseAndResume() throws {
        // Received Monday 9 March 2026 09:00, 10 working days: due Monday 23 March 09:00.
        let received = try at("2026-03-09", 9)
        let due = calendar.addingWorkingDays(10, to: received)
        #expect(due == (try at("2026-03-23", 9)))
        // Paused on Wednesday 11 March 15:00 to ask for a missing document (2 days 6 hours used).
        let pausedAt = try at("2026-03-11", 15)
        let remaining = calendar.workingSeconds(from: pausedAt, to: due)
        #expect(remaining == 7 * workingDay + 18 * hour)
        // Resumed on Tuesday 21 April 2026 10:00: the rest runs over the Giỗ Tổ compensation
        // day (Monday 27 April) and the 30 April – 3 May break.
        let resumedAt = try at("2026-04-21", 10)
        let newDue = calendar.addingWorkingTime(remaining, to: resumedAt)
        #expect(newDue == (try at("2026-05-06", 4)))
        let used = calendar.workingSeconds(from: received, to: pausedAt) + calendar.workingSeconds(from: resumedAt, to: newDue)
        #expect(used == 10 * workingDay)
    }

    @Test("working days in a range of dates")
    func workingDaysInRange() throws {
        #expect(calendar.workingDays(from: try day("2026-03-01"), through: try day("2026-03-31")) == 22)
        #expect(calendar.workingDays(from: try day("2026-03-16"), through: try day("2026-03-16")) == 1)
        #expect(calendar.workingDays(from: try day("2026-03-14"), through: try day("2026-03-15")) == 0)
        #expect(calendar.workingDays(from: try day("2026-03-31"), through: try day("2026-03-01")) == 0)
        // 2026: 261 weekdays, 11 of them off (1 Jan, five Tết days, the Giỗ Tổ compensation,
        // 30 April, 1 May, 1 and 2 September); the pack's 24 November takes one more.
        #expect(calendar.workingDays(from: try day("2026-01-01"), through: try day("2026-12-31")) == 250)
        let withCultureDay = WorkingDayCalendar(fixedHolidays: [
            FixedHoliday(month: 11, day: 24, name: "Ngày Văn hóa Việt Nam", fromYear: 2026),
        ])
        #expect(withCultureDay.workingDays(from: try day("2026-01-01"), through: try day("2026-12-31")) == 249)
        // Across years it is the sum, and it agrees with counting day by day.
        let from = try day("2024-11-15")
        let through = try day("2027-02-20")
        var counted = 0
        var date = from
        while date <= through {
            if calendar.isWorkingDay(date) { counted += 1 }
            date = date.adding(days: 1)
        }
        #expect(calendar.workingDays(from: from, through: through) == counted)
    }

    @Test("the next working day skips weekends, holidays and compensation days")
    func nextWorkingDay() throws {
        #expect(calendar.nextWorkingDay(after: try day("2026-03-13")) == (try day("2026-03-16")))
        #expect(calendar.nextWorkingDay(after: try day("2026-02-13")) == (try day("2026-02-23")))
        #expect(calendar.nextWorkingDay(after: try day("2026-04-24")) == (try day("2026-04-28")))
        #expect(calendar.nextWorkingDay(after: try day("2026-04-29")) == (try day("2026-05-04")))
        #expect(calendar.nextWorkingDay(after: try day("2026-03-10")) == (try day("2026-03-11")))
    }
}
