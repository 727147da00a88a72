import EGovCore
import Foundation
import Yams

/// The national working-day calendar shipped with the platform: every year the Prime Minister's
/// notices decided (`national-calendar.yaml`, embedded in the binary), the same for every locality.
/// A locality pack adds only its own deviations (`calendar.yaml`).
public struct NationalCalendar: Codable, Sendable {
    /// The file's version, bumped with each year's notice.
    public var version: String
    public var years: [OfficialYear]

    /// The shipped file, decoded once. (A test decodes it and checks every year, so a broken file
    /// never ships; should it still fail, the rules of the Labour Code decide every year.)
    public static let shipped: NationalCalendar = (try? decode(Data(PackageResources.national_calendar_yaml)))
        ?? NationalCalendar(version: "none", years: [])

    /// Decodes and checks the file: each day in its own year, once, a day off on a weekday and a worked day
    /// on a Saturday or Sunday (the civil service's weekend).
    public static func decode(_ data: Data) throws -> NationalCalendar {
        let calendar = try YAMLDecoder().decode(NationalCalendar.self, from: data)
        var years = Set<Int>()
        for year in calendar.years {
            guard years.insert(year.year).inserted else { throw Problem("year \(year.year) is listed twice") }
            var dates = Set<CivilDate>()
            for day in year.days {
                let weekend = day.date.weekday == .saturday || day.date.weekday == .sunday
                guard day.date.year == year.year else { throw Problem("\(day.date) is listed under \(year.year)") }
                guard dates.insert(day.date).inserted else { throw Problem("\(day.date) is listed twice") }
                guard weekend == (day.kind == .workingDay) else { throw Problem("\(day.date) (\(day.date.weekday)) cannot be \(day.kind.rawValue)") }
            }
        }
        return calendar
    }

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The years it covers.
    public var coveredYears: ClosedRange<Int>? {
        guard let first = years.map(\.year).min(), let last = years.map(\.year).max() else { return nil }
        return first...last
    }
}
