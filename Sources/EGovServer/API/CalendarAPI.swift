import EGovCore
import EGovPlatform
import Foundation
import Vapor

/// The working-day calendar for other systems (the national portal, mobile apps, a commune's own
/// node), public: `GET /api/v1/calendar/{year}` lists the days that differ from the plain week, and
/// `GET /api/v1/calendar/due?from=&days=` gives a due date by the rule dossiers use.
struct CalendarAPI: RouteCollection {
    /// Ten years of working days at most.
    static let maxDays = 2600

    func boot(routes: any RoutesBuilder) throws {
        let calendar = routes.grouped("calendar")
        calendar.get("due", use: due)
        calendar.get(":year", use: year)
    }

    struct DayDTO: Content {
        let date: String
        let kind: String
        let name: String
    }

    struct YearDTO: Content {
        let year: Int
        let days: [DayDTO]
    }

    struct DueDTO: Content {
        let dueAt: Date
    }

    func year(_ req: Request) async throws -> YearDTO {
        guard let year = try RequestNumbers.parse(req.parameters.get("year") ?? "", name: "year", in: RequestNumbers.years) else {
            throw EGovError.validation([ValidationError(field: "year", vi: "Vui lòng nêu năm.", en: "Please give the year.")])
        }
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now())
        return YearDTO(year: year, days: calendar.exceptions(in: year).map {
            DayDTO(date: $0.date.description, kind: $0.kind.rawValue, name: $0.name)
        })
    }

    func due(_ req: Request) async throws -> DueDTO {
        let raw = req.query[String.self, at: "from"] ?? ""
        guard let from = Self.instant(raw) else {
            throw EGovError.validation([ValidationError(
                field: "from", vi: "“from” phải là thời điểm ISO 8601 (ví dụ 2025-04-25T09:00:00+07:00) trong các năm 1900–2199.",
                en: "“from” must be an ISO 8601 time (e.g. 2025-04-25T09:00:00+07:00) in the years 1900–2199.")])
        }
        guard let days = try RequestNumbers.int(req, "days", in: 0...Self.maxDays) else {
            throw EGovError.validation([ValidationError(field: "days", vi: "Vui lòng nêu số ngày làm việc “days”.",
                                                        en: "Please give the number of working days “days”.")])
        }
        let cutoffHour = try RequestNumbers.int(req, "cutoffHour", in: 0...23)
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now())
        var clock = DeadlineClock()
        clock.start(at: from, workingDays: days, cutoffHour: cutoffHour, calendar: calendar)
        return DueDTO(dueAt: clock.dueAt ?? from)
    }

    /// An ISO 8601 time with its offset (fractional seconds allowed), within `RequestNumbers.years`. A `+`
    /// of the offset left unencoded in the query arrives as a space, and is read as the `+` it was.
    static func instant(_ raw: String) -> Date? {
        guard raw.utf8.count <= 40 else { return nil }
        let text = raw.replacingOccurrences(of: " ", with: "+")
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else { return nil }
        let year = WorkingDayCalendar().civilDate(of: date).year
        return RequestNumbers.years.contains(year) ? date : nil
    }
}
