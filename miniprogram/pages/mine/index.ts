Component({
  data: {
    /** The admin entry appears only for staff (set once staff roles are known). */
    isStaff: false,
  },
  methods: {},
})
