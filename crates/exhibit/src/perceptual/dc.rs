//! The luma of a baseline JPEG at 1/8 scale, read from its DC coefficients alone.
//!
//! Each 8×8 block's DC coefficient is the block's mean sample, so the luma (Y)
//! component's DC values are the picture at 1/8 scale. The AC coefficients, nearly all
//! of the entropy-coded data, still have to be read to find where each block ends, but
//! they are only stepped over: nothing is dequantized, transformed, upsampled or
//! converted. A pixel is `⌊(dc × q₀ + 4) / 8⌋ + 128`, clamped to 0..=255: what
//! libjpeg's 1×1 inverse transform gives, and so what `djpeg -scale 1/8 -grayscale`
//! prints, which the tests compare against pixel for pixel.
//!
//! Only the common shape is read here: one baseline or extended sequential frame with
//! Huffman coding and 8-bit samples, grey or YCbCr (component identifiers 1, 2, 3, no
//! Adobe marker), its components in one scan, restart markers in order, and the end of
//! the image right after the scan. Anything else, and any fault in the data, gives
//! `None`, and the caller decodes the picture another way.

/// The Y component at 1/8 scale: `width × height` bytes, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LumaPlane {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// Bits looked up at once when reading a Huffman code; longer codes are searched.
const LOOKUP_BITS: u32 = 9;
/// Bits looked up at once when stepping over an AC coefficient, its code and its value
/// together.
const SKIP_BITS: u32 = 12;
/// In a [`Huffman::skip`] entry: the code ends the block.
const END_OF_BLOCK: u16 = 0;

/// A Huffman table, canonical codes as in Annex C of ITU T.81.
struct Huffman {
    /// Indexed by the next [`LOOKUP_BITS`] bits: (code length, symbol); length 0 when
    /// the code is longer.
    lookup: Vec<(u8, u8)>,
    /// Indexed by the next [`SKIP_BITS`] bits, for AC tables: the bits an AC code and
    /// the value after it take (low 5 bits) and how far it moves along the block (the
    /// rest: the zero run plus one, 16 for a run of 16 zeros, [`END_OF_BLOCK`]); 0 when
    /// they do not fit, or the code is not one a sequential scan may use.
    skip: Box<[u16; 1 << SKIP_BITS]>,
    /// Largest code of each length (index 1..=16), −1 when there is none.
    max_code: [i32; 17],
    /// `values[code + offset[len]]` is the symbol of a code of length `len`.
    offset: [i32; 17],
    values: Vec<u8>,
}

impl Huffman {
    /// Builds the table from a DHT's 16 counts and its symbols; `None` when the counts
    /// describe more codes than fit. `skip` is filled for an AC table (`ac`) only.
    fn new(counts: &[u8; 16], values: &[u8], ac: bool) -> Option<Huffman> {
        let mut lookup = vec![(0u8, 0u8); 1 << LOOKUP_BITS];
        let mut skip = Box::new([0u16; 1 << SKIP_BITS]);
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut code: u32 = 0;
        let mut k = 0usize;
        for len in 1..=16u32 {
            let n = usize::from(counts[len as usize - 1]);
            if n > 0 {
                offset[len as usize] = k as i32 - code as i32;
                for _ in 0..n {
                    if code >= 1 << len {
                        return None;
                    }
                    let symbol = *values.get(k)?;
                    if len <= LOOKUP_BITS {
                        let spread = LOOKUP_BITS - len;
                        let first = (code << spread) as usize;
                        lookup[first..first + (1 << spread)].fill((len as u8, symbol));
                    }
                    let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
                    let moves = match (run, size) {
                        (0, 0) => Some(END_OF_BLOCK),
                        (15, 0) => Some(16),
                        (_, 0) => None,
                        _ => Some((run + 1) as u16),
                    };
                    if let Some(moves) = moves
                        && ac
                        && len + size <= SKIP_BITS
                    {
                        let spread = SKIP_BITS - len;
                        let first = (code << spread) as usize;
                        let entry = (moves << 5) | (len + size) as u16;
                        skip[first..first + (1 << spread)].fill(entry);
                    }
                    code += 1;
                    k += 1;
                }
                max_code[len as usize] = code as i32 - 1;
            }
            code <<= 1;
        }
        Some(Huffman {
            lookup,
            skip,
            max_code,
            offset,
            values: values.to_vec(),
        })
    }
}

/// Reads bits, most significant first, from entropy-coded data with its stuffing removed.
struct Bits<'a> {
    /// The data (zeros are read past its end).
    data: &'a [u8],
    /// The next byte to load.
    next: usize,
    /// Loaded bits, left-aligned.
    acc: u64,
    /// How many bits of `acc` are loaded.
    held: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Self {
        Bits {
            data,
            next: 0,
            acc: 0,
            held: 0,
        }
    }

    /// Bits read so far.
    fn pos(&self) -> usize {
        self.next * 8 - self.held as usize
    }

    /// Reads on from byte `at`.
    fn seek(&mut self, at: usize) {
        self.next = at;
        self.acc = 0;
        self.held = 0;
    }

    /// Makes at least 56 bits available, without a branch on how many there were: the
    /// next eight bytes are loaded and as many whole bytes kept as fit.
    #[inline]
    fn refill(&mut self) {
        let word = match self.data.get(self.next..self.next + 8) {
            Some(b) => u64::from_be_bytes(b.try_into().unwrap_or([0; 8])),
            None => 0,
        };
        self.acc |= word >> self.held;
        self.next += ((63 - self.held) >> 3) as usize;
        self.held |= 56;
    }

    /// The next `n` (1..=32) bits, without reading them; needs [`Self::refill`] first.
    #[inline]
    fn peek(&self, n: u32) -> u32 {
        (self.acc >> (64 - n)) as u32
    }

    /// Steps over `n` (at most the bits held) bits.
    #[inline]
    fn skip(&mut self, n: u32) {
        self.acc <<= n;
        self.held -= n;
    }

    /// The next symbol of `table`; `None` for a code the table does not have. Needs 16
    /// bits held.
    #[inline]
    fn symbol(&mut self, table: &Huffman) -> Option<u8> {
        let (len, sym) = table.lookup[self.peek(LOOKUP_BITS) as usize];
        if len > 0 {
            self.skip(u32::from(len));
            return Some(sym);
        }
        self.long_symbol(table)
    }

    /// [`Self::symbol`] for a code longer than [`LOOKUP_BITS`].
    #[cold]
    fn long_symbol(&mut self, table: &Huffman) -> Option<u8> {
        let bits = self.peek(16);
        for len in LOOKUP_BITS + 1..=16 {
            let code = (bits >> (16 - len)) as i32;
            if code <= table.max_code[len as usize] {
                self.skip(len);
                let index = code + table.offset[len as usize];
                return table.values.get(usize::try_from(index).ok()?).copied();
            }
        }
        None
    }
}

/// A frame component: its identifier, sampling factors and quantization table.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    table: usize,
}

/// The markers and tables read before the scan.
#[derive(Default)]
struct Headers {
    width: usize,
    height: usize,
    components: Vec<Component>,
    /// The first (DC) entry of each quantization table.
    quant_dc: [Option<u16>; 4],
    dc_tables: [Option<std::rc::Rc<Huffman>>; 4],
    ac_tables: [Option<std::rc::Rc<Huffman>>; 4],
    restart_interval: usize,
    /// A JFIF marker: three components are Y, Cb, Cr whatever their identifiers.
    jfif: bool,
    /// An Adobe marker, which may say the components are RGB.
    adobe: bool,
}

/// The Y plane of `bytes` at 1/8 scale, or `None` when it is not a JPEG of the shape
/// read here, or its data is faulty. `max_pixels` bounds the picture's full size.
pub(super) fn luma_eighth(bytes: &[u8], max_pixels: u64) -> Option<LumaPlane> {
    let mut r = Reader { bytes, at: 0 };
    if r.u8()? != 0xFF || r.u8()? != 0xD8 {
        return None;
    }
    let mut hd = Headers::default();
    loop {
        // A marker, after any fill bytes.
        if r.u8()? != 0xFF {
            return None;
        }
        let mut marker = r.u8()?;
        while marker == 0xFF {
            marker = r.u8()?;
        }
        let len = usize::from(r.u16()?).checked_sub(2)?;
        let segment = r.slice(len)?;
        match marker {
            0xC0 | 0xC1 if hd.components.is_empty() => frame(segment, &mut hd)?,
            0xC4 => huffman_tables(segment, &mut hd)?,
            0xDB => quant_tables(segment, &mut hd)?,
            0xDD => hd.restart_interval = usize::from(be16(segment.get(..2)?)),
            0xE0 if segment.starts_with(b"JFIF\0") => hd.jfif = true,
            0xEE => hd.adobe = true,
            0xE0..=0xEF | 0xFE => {}
            0xDA => return scan(segment, bytes.get(r.at..)?, &hd, max_pixels),
            // Progressive, lossless, arithmetic or hierarchical frames, a second frame, a
            // DNL, or the end before any scan: read another way.
            _ => return None,
        }
    }
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes([self.u8()?, self.u8()?]))
    }
    fn slice(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
}

fn frame(s: &[u8], hd: &mut Headers) -> Option<()> {
    let (&precision, rest) = s.split_first()?;
    let height = usize::from(be16(rest.get(..2)?));
    let width = usize::from(be16(rest.get(2..4)?));
    let count = usize::from(*rest.get(4)?);
    if precision != 8 || width == 0 || height == 0 || !(count == 1 || count == 3) {
        return None;
    }
    let specs = rest.get(5..)?;
    if specs.len() != 3 * count {
        return None;
    }
    for c in specs.chunks_exact(3) {
        let (h, v, table) = (usize::from(c[1] >> 4), usize::from(c[1] & 15), c[2]);
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || table > 3 {
            return None;
        }
        hd.components.push(Component {
            id: c[0],
            h,
            v,
            table: usize::from(table),
        });
    }
    hd.width = width;
    hd.height = height;
    Some(())
}

fn huffman_tables(mut s: &[u8], hd: &mut Headers) -> Option<()> {
    while !s.is_empty() {
        let (&spec, rest) = s.split_first()?;
        let counts: &[u8; 16] = rest.get(..16)?.try_into().ok()?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        let values = rest.get(16..16 + total)?;
        let (class, index) = (spec >> 4, usize::from(spec & 15));
        if index > 3 || total > 256 {
            return None;
        }
        let table = Some(std::rc::Rc::new(Huffman::new(counts, values, class == 1)?));
        match class {
            0 => hd.dc_tables[index] = table,
            1 => hd.ac_tables[index] = table,
            _ => return None,
        }
        s = &rest[16 + total..];
    }
    Some(())
}

fn quant_tables(mut s: &[u8], hd: &mut Headers) -> Option<()> {
    while !s.is_empty() {
        let (&spec, rest) = s.split_first()?;
        let (precision, index) = (spec >> 4, usize::from(spec & 15));
        let (dc, size) = match precision {
            0 => (u16::from(*rest.first()?), 64),
            1 => (be16(rest.get(..2)?), 128),
            _ => return None,
        };
        let table = rest.get(..size)?;
        if index > 3 || dc == 0 {
            return None;
        }
        // A zero anywhere makes the table invalid for every decoder.
        let zero = match precision {
            0 => table.contains(&0),
            _ => table.chunks_exact(2).any(|p| p == [0, 0]),
        };
        if zero {
            return None;
        }
        hd.quant_dc[index] = Some(dc);
        s = &rest[size..];
    }
    Some(())
}

/// What one scan component is read with.
struct Lane<'t> {
    dc: &'t Huffman,
    ac: &'t Huffman,
    h: usize,
    v: usize,
    predictor: i32,
}

/// Reads the scan whose header is `header` and whose data starts `data`.
fn scan(header: &[u8], data: &[u8], hd: &Headers, max_pixels: u64) -> Option<LumaPlane> {
    let count = usize::from(*header.first()?);
    let comps = &hd.components;
    if comps.is_empty() || count != comps.len() || header.len() != 1 + 2 * count + 3 {
        return None;
    }
    // Spectral selection 0..63 and no successive approximation: a sequential scan.
    if header[1 + 2 * count..] != [0, 63, 0] {
        return None;
    }
    let colour = comps.len() == 3;
    let ids: Vec<u8> = comps.iter().map(|c| c.id).collect();
    // Y, Cb and Cr as `jpeg-decoder` tells them: identifiers 1, 2, 3, or a JFIF marker
    // and none of the identifiers that name RGB or big-gamut YCC.
    let ycc = ids == [1, 2, 3]
        || (hd.jfif && !matches!(ids[..], [1, 34, 35] | [82, 71, 66] | [114, 103, 98]));
    if colour && (!ycc || hd.adobe) {
        return None;
    }
    if (hd.width as u64) * (hd.height as u64) > max_pixels {
        return None;
    }
    let mut lanes = Vec::with_capacity(count);
    for (i, c) in comps.iter().enumerate() {
        let sel = header[2 + 2 * i];
        if header[1 + 2 * i] != c.id {
            return None;
        }
        let dc = hd.dc_tables.get(usize::from(sel >> 4))?.as_deref()?;
        let ac = hd.ac_tables.get(usize::from(sel & 15))?.as_deref()?;
        hd.quant_dc[c.table]?;
        // In a scan of one component each block is its own unit.
        let (h, v) = if colour { (c.h, c.v) } else { (1, 1) };
        lanes.push(Lane {
            dc,
            ac,
            h,
            v,
            predictor: 0,
        });
    }
    if colour && lanes.iter().map(|l| l.h * l.v).sum::<usize>() > 10 {
        return None;
    }
    let h_max = comps.iter().map(|c| c.h).max()?;
    let v_max = comps.iter().map(|c| c.v).max()?;
    let (mcus_x, mcus_y) = if colour {
        (hd.width.div_ceil(8 * h_max), hd.height.div_ceil(8 * v_max))
    } else {
        (hd.width.div_ceil(8), hd.height.div_ceil(8))
    };
    let y = comps[0];
    let (plane_w, plane_h) = if colour {
        (
            (hd.width * y.h).div_ceil(8 * h_max),
            (hd.height * y.v).div_ceil(8 * v_max),
        )
    } else {
        (hd.width.div_ceil(8), hd.height.div_ceil(8))
    };
    let q = i64::from(hd.quant_dc[y.table]?);
    let (stuffed, restarts) = unstuff(data)?;
    let mut bits = Bits::new(&stuffed);
    let mut pixels = vec![0u8; plane_w * plane_h];
    let total = mcus_x * mcus_y;
    let interval = if hd.restart_interval == 0 {
        total
    } else {
        hd.restart_interval
    };
    let mut next_rst = 0u8;
    let data_end = stuffed.len() - PAD;
    for mcu in 0..total {
        if mcu > 0 && mcu % interval == 0 {
            let (at, n) = *restarts.get(mcu / interval - 1)?;
            if bits.pos().div_ceil(8) != at || n != next_rst {
                return None;
            }
            next_rst = (next_rst + 1) % 8;
            bits.seek(at);
            for lane in &mut lanes {
                lane.predictor = 0;
            }
        }
        let (mx, my) = (mcu % mcus_x, mcu / mcus_x);
        for (i, lane) in lanes.iter_mut().enumerate() {
            for by in 0..lane.v {
                for bx in 0..lane.h {
                    let dc = block(&mut bits, lane)?;
                    if i == 0 {
                        let (x, y) = (mx * lane.h + bx, my * lane.v + by);
                        if x < plane_w && y < plane_h {
                            let value = ((i64::from(dc) * q + 4) >> 3) + 128;
                            pixels[y * plane_w + x] = value.clamp(0, 255) as u8;
                        }
                    }
                }
            }
        }
        // Reading past the data means it was cut short: stop early, not at the end.
        if mx == mcus_x - 1 && bits.pos() > data_end * 8 {
            return None;
        }
    }
    // Every restart marker was met, and the data ends where the last interval does.
    if restarts.len() != (total - 1) / interval || bits.pos().div_ceil(8) != data_end {
        return None;
    }
    Some(LumaPlane {
        width: plane_w,
        height: plane_h,
        pixels,
    })
}

/// Restart markers: (position in the unstuffed data, the marker's number 0..=7).
type Restarts = Vec<(usize, u8)>;

/// Zero bytes after the unstuffed data, so that a word can always be read.
const PAD: usize = 8;

/// The entropy-coded data up to the end of the image, its stuffed zero bytes removed,
/// padded with [`PAD`] zeros; and the restart markers met, as (position in the
/// unstuffed data, number). `None` when the data does not end with the end-of-image
/// marker.
fn unstuff(data: &[u8]) -> Option<(Vec<u8>, Restarts)> {
    let mut out = Vec::with_capacity(data.len() + PAD);
    let mut restarts = Vec::new();
    let mut at = 0;
    loop {
        let ff = at + memchr::memchr(0xFF, data.get(at..)?)?;
        out.extend_from_slice(&data[at..ff]);
        let mut next = ff + 1;
        let mut marker = *data.get(next)?;
        while marker == 0xFF {
            next += 1;
            marker = *data.get(next)?;
        }
        match marker {
            0x00 => out.push(0xFF),
            0xD0..=0xD7 => restarts.push((out.len(), marker - 0xD0)),
            0xD9 => break,
            _ => return None,
        }
        at = next + 1;
    }
    out.extend_from_slice(&[0; PAD]);
    Some((out, restarts))
}

/// Reads one block: returns its DC value and steps over its AC coefficients.
#[inline]
fn block(bits: &mut Bits<'_>, lane: &mut Lane<'_>) -> Option<i32> {
    bits.refill();
    let size = u32::from(bits.symbol(lane.dc)?);
    if size > 11 {
        return None;
    }
    if size > 0 {
        let value = bits.peek(size);
        bits.skip(size);
        lane.predictor = lane.predictor.wrapping_add(extend(value, size));
    }
    let skips = &*lane.ac.skip;
    let mut k = 1;
    'block: while k < 64 {
        // One load of the data for up to four short codes (4 × 12 bits of the 56 held),
        // so that the load is not in the chain from one code to the next.
        bits.refill();
        for _ in 0..4 {
            let entry = skips[bits.peek(SKIP_BITS) as usize & ((1 << SKIP_BITS) - 1)];
            if entry == 0 {
                bits.refill();
                let rs = bits.symbol(lane.ac)?;
                let (run, size) = (u16::from(rs >> 4), u32::from(rs & 15));
                if size == 0 {
                    match run {
                        0 => break 'block,
                        15 => k += 16,
                        // An end-of-band run belongs to progressive scans only.
                        _ => return None,
                    }
                } else {
                    bits.skip(size);
                    k += run + 1;
                }
                continue 'block;
            }
            bits.skip(u32::from(entry & 31));
            match entry >> 5 {
                END_OF_BLOCK => break 'block,
                moves => k += moves,
            }
            if k >= 64 {
                break 'block;
            }
        }
    }
    // A run of zeros, or a coefficient, past the last one.
    if k > 64 {
        return None;
    }
    Some(lane.predictor)
}

/// The signed value of `size` bits as JPEG codes a difference (Section F.2.2.1).
#[inline]
fn extend(v: u32, size: u32) -> i32 {
    let v = v as i32;
    if v < 1 << (size - 1) {
        v - (1 << size) + 1
    } else {
        v
    }
}

#[cfg(test)]
mod tests;
