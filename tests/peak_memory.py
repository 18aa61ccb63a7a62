"""How a child process the tests start reports its own peak memory."""

# Python source for the peak resident memory (kB) of the process that evaluates it. Not
# ru_maxrss: at exec Linux folds the parent's peak into the child's, so a child of a
# pytest that once held 3.3 GB reports 3.3 GB (CI, 516849f). VmHWM is the peak of the
# process's own memory map, which exec makes new.
OWN_PEAK_KB = ("next(int(line.split()[1]) for line in open('/proc/self/status') "
               "if line.startswith('VmHWM:'))")


def own_peak_kb() -> int:
    """This process's peak resident memory (kB) since it started or since reset_peak()."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def reset_peak() -> int:
    """Start a new peak for this process (Linux: clear_refs 5); its memory now (kB). In
    pytest, so that a test's peak is its own and not the largest of the tests before it."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")
    return own_peak_kb()
