Component({
  data: {},
  methods: {},
})
