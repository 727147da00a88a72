@testable import EGovCore
import Testing

@Suite("Code patterns")
struct CodePatternTests {
    @Test("the default dossier code is unit-yymmdd-sequence, counted per unit and day")
    func dossierDefault() throws {
        let pattern = CodePattern.dossierDefault
        let date = try #require(CivilDate(year: 2025, month: 7, day: 1))
        #expect(pattern.format(unit: "000.00.12.H41", date: date, sequence: 1) == "000.00.12.H41-250701-0001")
        #expect(pattern.format(unit: "000.00.12.H41", date: date, sequence: 12345) == "000.00.12.H41-250701-12345")
        #expect(pattern.period == .day)
        #expect(pattern.counterScope(kind: "dossier", unit: "000.00.12.H41", date: date) == "dossier:000.00.12.H41:20250701")
    }

    @Test("a yearly pattern restarts each year")
    func yearly() throws {
        let pattern = try CodePattern("{seq:2}/{yyyy}")
        let date = try #require(CivilDate(year: 2026, month: 3, day: 9))
        #expect(pattern.format(unit: "x", date: date, sequence: 7) == "07/2026")
        #expect(pattern.period == .year)
        #expect(pattern.counterScope(kind: "register", unit: "x", date: date) == "register:x:2026")
    }

    @Test("patterns without exactly one sequence, or with unknown fields, are refused", arguments: ["{unit}-{dd}", "{seq}{seq}", "{unit}-{hh}-{seq}", "{seq:0}", "{seq"])
    func invalid(pattern: String) {
        #expect(throws: ValidationError.self) { try CodePattern(pattern) }
    }
}
