/* A stand-in for Windows' bcryptprimitives.dll, for running our Windows test
 * executables under Debian 12's wine (8.0), which does not ship that DLL.
 *
 * Rust's standard library (1.78 and later) takes its random numbers from
 * ProcessPrng in bcryptprimitives.dll, which every supported Windows (10 and later)
 * has; without it wine refuses to load any Rust program (status c0000135).
 * Here ProcessPrng is RtlGenRandom (advapi32's SystemFunction036), which wine has.
 * scripts/cross-check.sh builds this into the wine prefix only; nothing ships it. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
