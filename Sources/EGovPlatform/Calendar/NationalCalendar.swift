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

    public static func decode(_ data: Data) throws -> NationalCalendar {
        try YAMLDecoder().decode(NationalCalendar.self, from: data)
    }

    /// The years it covers.
    public var coveredYears: ClosedRange<Int>? {
        guard let first = years.map(\.year).min(), let last = years.map(\.year).max() else { return nil }
        return first...last
    }
}
