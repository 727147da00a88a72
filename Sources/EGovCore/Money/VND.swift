/// Amounts in Vietnamese đồng: whole đồng (the currency has no smaller unit in use).
public enum VND {
    /// The largest fee or payment the platform accepts: ten billion đồng. Far above any fee in the
    /// national catalogue, and small enough that the gateway's hundredths (`amount * 100`) and any sum
    /// of a procedure's fees stay far from `Int` overflow.
    public static let maximum = 10_000_000_000

    /// Whether an amount may be charged: zero up to `maximum`.
    public static func isValid(_ amount: Int) -> Bool { (0...maximum).contains(amount) }

    /// The sum of amounts that are each valid, or nil when it passes `maximum` (never traps).
    public static func total(_ amounts: [Int]) -> Int? {
        var sum = 0
        for amount in amounts {
            guard isValid(amount) else { return nil }
            sum += amount  // both ≤ 10^10 here: no overflow
            guard sum <= maximum else { return nil }
        }
        return sum
    }

    /// `1000000` → `1.000.000 đ`, as Vietnamese write amounts.
    public static func format(_ amount: Int) -> String {
        let digits = Array(String(amount.magnitude))
        var out = amount < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "." }
            out.append(digit)
        }
        return out + " đ"
    }
}
