"""How a child process the tests start reports its own peak memory."""

# Python source for the peak resident memory (kB) of the process that evaluates it. Not
# ru_maxrss: at exec Linux folds the parent's peak into the child's, so a child of a
# pytest that once held 3.3 GB reports 3.3 GB (CI, 516849f). VmHWM is the peak of the
# process's own memory map, which exec makes new.
OWN_PEAK_KB = ("next(int(line.split()[1]) for line in open('/proc/self/status') "
               "if line.startswith('VmHWM:'))")
